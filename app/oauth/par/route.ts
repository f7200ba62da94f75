export { parEndpoint as POST } from "@/lib/oauth/endpoints/par";

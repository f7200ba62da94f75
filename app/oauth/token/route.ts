export { tokenEndpoint as POST } from "@/lib/oauth/endpoints/token";

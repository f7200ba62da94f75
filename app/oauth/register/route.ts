export { registerEndpoint as POST } from "@/lib/oauth/endpoints/registration";

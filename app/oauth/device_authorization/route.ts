export { deviceAuthorizationEndpoint as POST } from "@/lib/oauth/endpoints/device-authorization";

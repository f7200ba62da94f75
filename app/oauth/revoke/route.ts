export { revokeEndpoint as POST } from "@/lib/oauth/endpoints/revoke";

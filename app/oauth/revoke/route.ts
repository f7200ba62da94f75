export { revokeEndpoint as POST, revokePreflight as OPTIONS } from "@/lib/oauth/endpoints/revoke";

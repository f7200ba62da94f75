export { introspectEndpoint as POST } from "@/lib/oauth/endpoints/introspect";

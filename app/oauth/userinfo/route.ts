export { userinfoEndpoint as GET, userinfoEndpoint as POST } from "@/lib/oauth/endpoints/userinfo";

export { userinfoEndpoint as GET, userinfoEndpoint as POST, userinfoPreflight as OPTIONS } from "@/lib/oauth/endpoints/userinfo";

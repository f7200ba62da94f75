export { tokenEndpoint as POST, tokenPreflight as OPTIONS } from "@/lib/oauth/endpoints/token";

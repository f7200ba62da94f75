export { jwksEndpoint as GET, documentPreflight as OPTIONS } from "@/lib/oauth/endpoints/discovery";

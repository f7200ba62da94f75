export { jwksEndpoint as GET } from "@/lib/oauth/endpoints/discovery";

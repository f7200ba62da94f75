export { metadataEndpoint as GET } from "@/lib/oauth/endpoints/discovery";

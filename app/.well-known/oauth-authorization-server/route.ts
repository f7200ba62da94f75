export { metadataEndpoint as GET, documentPreflight as OPTIONS } from "@/lib/oauth/endpoints/discovery";

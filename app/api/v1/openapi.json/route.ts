import { openApiDocument } from "@/lib/api/openapi";
import { jsonAnswer, routeHandler } from "@/lib/protocol-http";

/** The management API's OpenAPI document, for anyone (it describes routes, not data). */
export const GET = routeHandler(async () => jsonAnswer(openApiDocument()));

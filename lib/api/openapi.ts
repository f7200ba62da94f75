/**
 * The OpenAPI 3.1 document of the management API, made from the same zod
 * schemas the routes answer with (lib/api/management.ts); served at
 * /api/v1/openapi.json, and the test suite calls every operation it lists
 * and checks each answer against its schema.
 */
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { endpointUrl } from "@/lib/oauth/endpoint-paths";
import {
  appListSchema,
  appSchema,
  clientGrantListSchema,
  clientGrantRequest,
  clientGrantSchema,
  createAppRequest,
  createdAppSchema,
  errorSchema,
  eventPageSchema,
  inviteUserRequest,
  updateAppRequest,
  updateUserRequest,
  userListSchema,
  userSchema,
} from "@/lib/api/management";

type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  operationId: string;
  summary: string;
  scope: string;
  request?: z.ZodType;
  /** The status of success and its body (none for 204). */
  success: { status: 200 | 201 | 204; schema?: z.ZodType };
  query?: { name: string; description: string }[];
};

/** The cursor and size of a newest-first page. */
const PAGE_PARAMS = [
  { name: "before", description: "The next_before of the previous page" },
  { name: "limit", description: "1 to 500 (default 50)" },
];

/** Every operation of the management API: the routes under app/api/v1/admin implement exactly these. */
export const MANAGEMENT_OPERATIONS: readonly Operation[] = [
  {
    method: "get",
    path: "/api/v1/admin/apps",
    operationId: "listApps",
    summary: "List apps, newest first, a page at a time (search with q)",
    scope: "admin.apps",
    success: { status: 200, schema: appListSchema },
    query: [{ name: "q", description: "The start of the name or of the owner's email (in any case), or the client_id" }, ...PAGE_PARAMS],
  },
  {
    method: "post",
    path: "/api/v1/admin/apps",
    operationId: "createApp",
    summary: "Register an app; a confidential app's secret is in the answer, only there",
    scope: "admin.apps",
    request: createAppRequest,
    success: { status: 201, schema: createdAppSchema },
  },
  {
    method: "get",
    path: "/api/v1/admin/apps/{clientId}",
    operationId: "getApp",
    summary: "One app",
    scope: "admin.apps",
    success: { status: 200, schema: appSchema },
  },
  {
    method: "patch",
    path: "/api/v1/admin/apps/{clientId}",
    operationId: "updateApp",
    summary: "Rename, change scopes, mark first-party, disable or enable",
    scope: "admin.apps",
    request: updateAppRequest,
    success: { status: 200, schema: appSchema },
  },
  {
    method: "get",
    path: "/api/v1/admin/apps/{clientId}/grants",
    operationId: "listAppGrants",
    summary: "The app's client grants: which APIs it may get client-credentials tokens for, with which scopes",
    scope: "admin.apps",
    success: { status: 200, schema: clientGrantListSchema },
  },
  {
    method: "put",
    path: "/api/v1/admin/apps/{clientId}/grants/{apiId}",
    operationId: "putAppGrant",
    summary: "Give the app a client grant on the API (replacing the one it had), given by the calling app's admin",
    scope: "admin.apps",
    request: clientGrantRequest,
    success: { status: 200, schema: clientGrantSchema },
  },
  {
    method: "delete",
    path: "/api/v1/admin/apps/{clientId}/grants/{apiId}",
    operationId: "deleteAppGrant",
    summary: "Take the app's client grant on the API away",
    scope: "admin.apps",
    success: { status: 204 },
  },
  {
    method: "get",
    path: "/api/v1/admin/users",
    operationId: "listUsers",
    summary: "List people, newest first, a page at a time (search with q)",
    scope: "admin.users",
    success: { status: 200, schema: userListSchema },
    query: [{ name: "q", description: "The start of the email or of the name (in any case)" }, ...PAGE_PARAMS],
  },
  {
    method: "post",
    path: "/api/v1/admin/users",
    operationId: "inviteUser",
    summary: "Make an account and mail its owner an invitation to choose a password",
    scope: "admin.users",
    request: inviteUserRequest,
    success: { status: 201, schema: userSchema },
  },
  {
    method: "get",
    path: "/api/v1/admin/users/{userId}",
    operationId: "getUser",
    summary: "One person",
    scope: "admin.users",
    success: { status: 200, schema: userSchema },
  },
  {
    method: "patch",
    path: "/api/v1/admin/users/{userId}",
    operationId: "updateUser",
    summary: "Rename, make or remove admin, disable or enable",
    scope: "admin.users",
    request: updateUserRequest,
    success: { status: 200, schema: userSchema },
  },
  {
    method: "delete",
    path: "/api/v1/admin/users/{userId}",
    operationId: "deleteUser",
    summary: "Delete a person; their apps and APIs go to the calling app's owner",
    scope: "admin.users",
    success: { status: 204 },
  },
  {
    method: "get",
    path: "/api/v1/admin/audit",
    operationId: "listEvents",
    summary: "The audit log, newest first, a page at a time",
    scope: "admin.audit",
    success: { status: 200, schema: eventPageSchema },
    query: [
      { name: "type", description: "Only events of this type" },
      { name: "failures", description: "true: only failures" },
      { name: "q", description: "The start of a person's email, of an app's name or of an address, or an app's id" },
      { name: "before", description: "The next_before of the previous page" },
      { name: "limit", description: "1 to 500 (default 100)" },
    ],
  },
];

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    reused: "inline",
    io,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of MANAGEMENT_OPERATIONS) {
    const parameters = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    for (const query of operation.query ?? [])
      parameters.push({
        name: query.name,
        in: "query",
        required: false,
        schema: { type: "string" },
        description: query.description,
      } as never);
    const error = { content: { "application/problem+json": { schema: jsonSchema(errorSchema, "output") } } };
    (paths[operation.path] ??= {})[operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      security: [{ oauth2: [operation.scope] }],
      ...(parameters.length ? { parameters } : {}),
      ...(operation.request
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(operation.request, "input") } } } }
        : {}),
      responses: {
        [operation.success.status]: operation.success.schema
          ? { description: "Done", content: { "application/json": { schema: jsonSchema(operation.success.schema, "output") } } }
          : { description: "Done" },
        "400": { description: "The request is not valid", ...error },
        "401": { description: "No valid access token" },
        "403": { description: "The token lacks the scope, or its app's client grant is not from an active admin", ...error },
        "404": { description: "No such app, API or person", ...error },
        "409": { description: "Refused by a rule (e.g. changing one's own role)", ...error },
      },
    };
  }
  const { issuer } = getConfig();
  return {
    openapi: "3.1.0",
    info: {
      title: `${getConfig().brand.name} management API`,
      version: "1",
      description:
        "Automation for admins: apps, people and the audit log. Call it with a client-credentials token carrying the admin scopes, which an app gets only through a client grant an admin gave it.",
    },
    servers: [{ url: issuer }],
    paths,
    components: {
      securitySchemes: {
        oauth2: {
          type: "oauth2",
          flows: {
            clientCredentials: {
              tokenUrl: endpointUrl("token"),
              scopes: { "admin.apps": "Manage every app", "admin.users": "Manage people", "admin.audit": "Read the audit log" },
            },
          },
        },
      },
    },
  };
}

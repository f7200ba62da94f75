// The parts of node-oidc-provider the benchmark uses (it ships no types).
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export type ClientMetadata = Record<string, unknown> & { client_id: string };

  interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  interface AuthorizationCode {
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
    Client: { find(clientId: string): Promise<unknown> };
    Grant: new (input: {
      accountId: string;
      clientId: string;
    }) => Grant;
    AuthorizationCode: new (
      input: Record<string, unknown>,
    ) => AuthorizationCode;
  }
}

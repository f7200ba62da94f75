/** What every grant handler receives and returns (RFC 6749 §5.1). */
import type { Client } from "@/lib/generated/prisma/client";

export type GrantRequest = {
  client: Client;
  params: ReadonlyMap<string, string>;
  ip: string;
  /** RFC 9449: the thumbprint of the key a valid DPoP proof was signed with; the tokens are bound to it. */
  dpopJkt: string | null;
};

export type TokenResponse = {
  access_token: string;
  token_type: "Bearer" | "DPoP";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
};

export type GrantHandler = (request: GrantRequest) => Promise<TokenResponse>;

export function allowsGrant(client: Client, grantType: string): boolean {
  return client.grantTypes.split(" ").includes(grantType);
}

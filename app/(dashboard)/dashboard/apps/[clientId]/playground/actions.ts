"use server";

import { actionUser, ActionRefused } from "@/lib/auth/guards";
import { exchangeCode, introspect, PlaygroundError, refresh, revoke, userinfo, type ConsoleAnswer } from "@/lib/oauth/playground-console";
import { findClient } from "@/lib/oauth/store/clients";

export type ConsoleStep = { answer?: ConsoleAnswer; error?: string };

/** The playground's calls: for the app's owner only; the secret travels with the call and is never kept. */
export async function playgroundAction(form: FormData): Promise<ConsoleStep> {
  try {
    const user = await actionUser(form);
    const client = await findClient(String(form.get("clientId") ?? ""));
    if (!client || client.ownerId !== user.id) throw new ActionRefused("This app does not exist or is not yours.");
    const text = (name: string) => String(form.get(name) ?? "");
    const secret = text("secret");
    switch (text("operation")) {
      case "exchange":
        return { answer: await exchangeCode(client, { code: text("code"), state: text("state"), secret }) };
      case "refresh":
        return { answer: await refresh(client, { refreshToken: text("token"), secret }) };
      case "introspect":
        return { answer: await introspect(client, { token: text("token"), secret }) };
      case "revoke":
        return { answer: await revoke(client, { token: text("token"), secret }) };
      case "userinfo":
        return { answer: await userinfo({ accessToken: text("token") }) };
      default:
        return { error: "Unknown operation" };
    }
  } catch (error) {
    if (error instanceof ActionRefused || error instanceof PlaygroundError) return { error: error.message };
    throw error;
  }
}

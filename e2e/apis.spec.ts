import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { expect, test, type Page } from "@playwright/test";
import { newClient, newUser } from "../tests/support/fixtures";
import { authorizePath } from "../tests/support/http-client";
import { basic, postForm } from "../tests/support/oauth";

async function signIn(page: Page, person: { email: string; password: string }, path: string) {
  await page.goto(path);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a developer registers an API in the dashboard, and seed 003's flow gets a token for it", async ({ page }) => {
  const developer = await newUser();
  const identifier = `https://bookings-${randomUUID()}.example`;
  await signIn(page, developer, "/dashboard/apis/new");
  await expect(page.getByRole("heading", { name: "Register an API" })).toBeVisible();

  // A reserved scope name keeps the form, with what was typed.
  await page.getByLabel("Name", { exact: true }).fill("Bookings");
  await page.getByLabel("Identifier").fill(identifier);
  await page.getByLabel("Scopes").fill("openid Mine now");
  await page.getByRole("button", { name: "Register API" }).click();
  await expect(page.getByText("openid, profile, email and offline_access are the portal's own scopes").first()).toBeVisible();
  await expect(page.getByLabel("Identifier")).toHaveValue(identifier);

  await page.getByLabel("Scopes").fill("bookings.read See your bookings\nbookings.write Make and cancel bookings");
  await page.getByRole("button", { name: "Register API" }).click();
  await expect(page.getByRole("heading", { name: "Bookings" })).toBeVisible();
  await expect(page.getByTestId("api-identifier")).toHaveText(identifier);
  await page.getByRole("link", { name: "Your APIs" }).first().click();
  await expect(page.getByRole("list", { name: "Your APIs" })).toContainText("2 scopes");

  // A regular web app registered with the form as it comes (only a name and a callback typed), as seed 003 has it:
  // confidential, no PKCE, and its secret sent in the JSON body of the token request.
  const redirectUri = `https://booking-helper-${randomUUID()}.example/callback`;
  await page.goto("/dashboard/apps/new");
  await page.getByLabel("Name", { exact: true }).fill("Booking Helper");
  await page.getByLabel("Redirect URIs", { exact: true }).fill(redirectUri);
  // The defaults left as they are: the secret either way, and any scope an API offers people.
  await expect(page.getByLabel("Client authentication (token_endpoint_auth_method)")).toHaveValue("client_secret");
  await expect(page.getByLabel(/Any scope an API offers/)).toBeChecked();
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByTestId("secret-once")).toBeVisible();
  const app = {
    clientId: (await page.getByTestId("new-client-id").textContent()) ?? "",
    clientSecret: (await page.getByTestId("new-client-secret").textContent()) ?? "",
    redirectUri,
  };

  // The app asks for the API; a person sees which API each scope opens.
  const person = await newUser();
  await page.context().clearCookies();
  const query = {
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    scope: "openid bookings.read",
    audience: identifier,
  };
  await signIn(page, person, authorizePath(query));
  await expect(page.getByRole("heading", { name: "Booking Helper wants to use your Identity Portal account" })).toBeVisible();
  const scopes = page.getByTestId("requested-scopes");
  await expect(scopes.getByRole("heading", { name: `Bookings (${identifier})` })).toBeVisible();
  await expect(scopes.getByRole("listitem")).toHaveText(["Sign you in to the app with your account", "See your bookings"]);

  await page.route(`${new URL(app.redirectUri).origin}/**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Back at Booking Helper</h1>" }),
  );
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.getByRole("heading", { name: "Back at Booking Helper" })).toBeVisible();
  const code = new URL(page.url()).searchParams.get("code")!;
  const response = await fetch(`${process.env.PORTAL_TEST_BASE_URL}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "authorization_code",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code,
      redirect_uri: app.redirectUri,
    }),
  });
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as { access_token: string; id_token?: string };
  expect(decodeJwt(tokens.access_token)).toMatchObject({
    aud: [identifier, `${process.env.PORTAL_TEST_BASE_URL}/oauth/userinfo`],
    scope: "openid bookings.read",
  });
  expect(tokens.id_token).toBeTruthy();
});

test("the API's owner edits its scopes and deletes it after typing its identifier", async ({ page }) => {
  const developer = await newUser();
  const identifier = `urn:lab:${randomUUID()}`;
  await signIn(page, developer, "/dashboard/apis/new");
  await page.getByLabel("Name", { exact: true }).fill("Lab API");
  await page.getByLabel("Identifier").fill(identifier);
  await page.getByLabel("Scopes").fill("lab.read Read lab results");
  await page.getByRole("button", { name: "Register API" }).click();
  await expect(page.getByTestId("api-identifier")).toHaveText(identifier);

  await page.getByLabel("Scopes").fill("lab.read Read your lab results\nlab.share Share lab results with your doctor");
  await page.getByLabel("Allow offline access.").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Scopes")).toHaveValue("lab.read Read your lab results\nlab.share Share lab results with your doctor");
  await expect(page.getByLabel("Allow offline access.")).toBeChecked();

  // Someone else cannot see it.
  const other = await newUser();
  const url = page.url();
  await page.context().clearCookies();
  await signIn(page, other, url);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Lab API" })).toHaveCount(0);
  await page.context().clearCookies();
  await signIn(page, developer, url);

  await page.getByLabel(`Type ${identifier} to confirm`).fill("wrong");
  await page.getByRole("button", { name: "Delete Lab API" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Type the API's identifier" })).toBeVisible();
  await page.getByLabel(`Type ${identifier} to confirm`).fill(identifier);
  await page.getByRole("button", { name: "Delete Lab API" }).click();
  await expect(page.getByText("Lab API was deleted.")).toBeVisible();
});

test("the docs page explains how an API verifies tokens, to anyone", async ({ page, baseURL }) => {
  await page.goto("/docs/apis");
  await expect(page.getByRole("heading", { name: "Protecting an API with the portal's tokens" })).toBeVisible();
  await expect(page.getByText(`${baseURL}/.well-known/jwks.json`).first()).toBeVisible();
});

test("an app's owner requires PKCE and client_secret_post of a confidential app, and requests that differ are refused", async ({
  page,
}) => {
  const developer = await newUser();
  const app = await newClient({ name: "Strict Web App", isConfidential: true, ownerId: developer.user.id });
  await signIn(page, developer, `/dashboard/apps/${app.clientId}`);
  await page.getByLabel(/Require PKCE/).check();
  await page.getByText("Advanced: application type, client authentication, sign-out, lifetimes").click();
  await page.getByLabel("Client authentication (token_endpoint_auth_method)").selectOption("client_secret_post");
  await page.getByLabel("Access-token lifetime (seconds)").fill("30");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("At least 60 seconds")).toBeVisible();
  await page.getByLabel("Access-token lifetime (seconds)").fill("120");
  await page.getByLabel("Allowed web origins").fill("https://strict.example");
  await page.getByLabel("Post-logout redirect URIs").fill("https://strict.example/bye");
  await page.getByLabel("Back-channel logout URI").fill("https://strict.example/backchannel");
  await page.getByLabel("Native", { exact: false }).check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(/Require PKCE/)).toBeChecked();
  await expect(page.getByLabel("Client authentication (token_endpoint_auth_method)")).toHaveValue("client_secret_post");
  await expect(page.getByLabel("Allowed web origins")).toHaveValue("https://strict.example");
  await expect(page.getByLabel("Post-logout redirect URIs")).toHaveValue("https://strict.example/bye");
  await expect(page.getByLabel("Back-channel logout URI")).toHaveValue("https://strict.example/backchannel");
  await expect(page.getByLabel("Native", { exact: false })).toBeChecked();

  // The secret now works in the body only, and the token lives 120 seconds.
  const viaBody = await postForm("/oauth/token", {
    grant_type: "client_credentials",
    client_id: app.clientId,
    client_secret: app.clientSecret!,
  });
  expect(viaBody.status).toBe(400); // unauthorized_client: authenticated, but the app has no client credentials grant
  expect((await postForm("/oauth/introspect", { token: "x" }, basic(app.clientId, app.clientSecret!))).status).toBe(401);
  expect((await postForm("/oauth/introspect", { token: "x", client_id: app.clientId, client_secret: app.clientSecret! })).status).toBe(200);

  const response = await fetch(
    new URL(authorizePath({ response_type: "code", client_id: app.clientId, redirect_uri: app.redirectUri, scope: "openid" }), page.url()),
    { redirect: "manual" },
  );
  const callback = new URL(response.headers.get("location") ?? "");
  expect(callback.searchParams.get("error")).toBe("invalid_request");
  expect(callback.searchParams.get("error_description")).toContain("code_challenge");
});

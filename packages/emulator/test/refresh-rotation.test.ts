// Refresh Token Rotation on a connected app: each refresh returns a new refresh token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Org } from "../src/index.js";

const rotating = {
  name: "Rotating",
  consumerKey: "3MVGrotatingKey",
  consumerSecret: "ROTATINGSECRET",
  rotateRefreshTokens: true,
};
let org: Org;
beforeAll(async () => {
  org = await startEmulator({ port: 0, connectedApps: [rotating] });
});
afterAll(async () => {
  await org.close();
});

async function refresh(token: string) {
  const res = await fetch(`${org.loginUrl}/services/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: token,
      client_id: rotating.consumerKey,
    }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

describe("refresh token rotation", () => {
  it("returns a new refresh token and retires the used one", async () => {
    const first = org.sessions.issueRefreshToken(org.users[0]!, rotating.consumerKey);
    const a = await refresh(first);
    expect(a.status).toBe(200);
    expect(a.json.refresh_token).toMatch(/^5Aep861/);
    expect(a.json.refresh_token).not.toBe(first);
    expect(await refresh(first)).toMatchObject({
      status: 400,
      json: { error: "invalid_grant", error_description: "expired access/refresh token" },
    });
    const b = await refresh(a.json.refresh_token!);
    expect(b.status).toBe(200);
    // the access token from the first refresh still works
    const res = await fetch(`${org.url}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${a.json.access_token}` },
    });
    expect(res.status).toBe(200);
  });
});

import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AuthStrategy,
  ConfigurationError,
  createClient,
  SalesforceAuthenticationFailed,
  SalesforceExpiredSession,
} from "@sfkit/core";
import { DEFAULT_CONNECTED_APP, type Emulator, startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientCredentialsGrant, jwtBearerGrant, passwordGrant, refreshTokenGrant } from "../src/index.js";
import { recordingFetch, recordingLogger, rejection } from "./helpers.js";

let org: Emulator;
const app = DEFAULT_CONNECTED_APP;
const odd = {
  username: "odd@sfkit.test",
  password: ` spaced & <odd> "quoted" 'single' pässwörd 密码 +%20=`,
  securityToken: "T&k<en>'\"",
};

beforeAll(async () => {
  org = await startEmulator({ port: 0, users: [odd] });
});
afterAll(async () => {
  await org.close();
});

const admin = () => org.findUser("admin@sfkit.test")!;
const keys = { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret };
const tokenCalls = (seen: { url: string }[]) =>
  seen.filter((r) => r.url.endsWith("/services/oauth2/token")).length;

function clientWith(auth: AuthStrategy, extra: Record<string, unknown> = {}) {
  return createClient({ auth, retry: false, ...extra });
}

async function works(auth: AuthStrategy) {
  const client = clientWith(auth);
  const response = await client.request({ path: "limits" });
  const session = await client.session();
  await client.close();
  expect(response.status).toBe(200);
  return session;
}

async function authFailure(auth: AuthStrategy) {
  const client = clientWith(auth);
  const error = await rejection(client.request({ path: "limits" }));
  await client.close();
  expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
  expect(error.message).toMatch(/^\[@sfkit\/auth-oauth\] /);
  expect(error.status).toBe(400);
  return error;
}

describe("password grant", () => {
  it("logs in; the session carries instance URL (scheme and port kept), user and org ids", async () => {
    const { username, password, securityToken } = admin();
    const session = await works(
      passwordGrant({ username, password, securityToken, ...keys, loginUrl: org.loginUrl }),
    );
    expect(session.instanceUrl).toBe(org.url);
    expect(session.userId).toBe(admin().userId);
    expect(session.organizationId).toBe(org.organizationId);
    expect(session.info).toMatchObject({ kind: "oauth-password", tokenType: "Bearer" });
  });

  it("A12: form-encodes every field exactly once, never XML-escapes", async () => {
    const { seen, fetch } = recordingFetch();
    const client = clientWith(passwordGrant({ ...odd, ...keys, loginUrl: org.loginUrl }), { fetch });
    expect((await client.request({ path: "limits" })).status).toBe(200);
    const token = seen[0]!;
    expect(token.method).toBe("POST");
    expect(token.url).toBe(`${org.loginUrl}/services/oauth2/token`);
    expect(token.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(token.body);
    expect(form.get("grant_type")).toBe("password");
    expect(form.get("username")).toBe(odd.username);
    expect(form.get("password")).toBe(odd.password + odd.securityToken);
    expect(form.get("client_id")).toBe(app.consumerKey);
    expect(token.body).toContain("username=odd%40sfkit.test");
    expect(token.body).not.toMatch(/&amp;|&lt;|&quot;/);
    await client.close();
  });

  it("a password with & < > \" ' logs in (seeded user)", async () => {
    const integration = org.findUser("integration@sfkit.test")!;
    await works(passwordGrant({ ...integration, ...keys, loginUrl: org.loginUrl }));
  });

  it("wrong password / wrong token → invalid_grant", async () => {
    const { username, password, securityToken } = admin();
    for (const bad of [
      { username, password: "wrong", securityToken },
      { username, password, securityToken: "WRONG" },
    ]) {
      const error = await authFailure(passwordGrant({ ...bad, ...keys, loginUrl: org.loginUrl }));
      expect(error.errorCode).toBe("invalid_grant");
      expect(error.code).toBe("invalid_grant");
      expect(error.message).toContain("authentication failure");
    }
  });

  it("locked user → invalid_grant", async () => {
    const locked = org.findUser("locked@sfkit.test")!;
    expect((await authFailure(passwordGrant({ ...locked, ...keys, loginUrl: org.loginUrl }))).errorCode).toBe(
      "invalid_grant",
    );
  });

  it("A13: unknown client → invalid_client_id; wrong secret → invalid_client", async () => {
    const { username, password, securityToken } = admin();
    const base = { username, password, securityToken, loginUrl: org.loginUrl };
    const unknown = await authFailure(
      passwordGrant({ ...base, consumerKey: "3MVGunknown", consumerSecret: "x" }),
    );
    expect(unknown.errorCode).toBe("invalid_client_id");
    expect(unknown.message).toContain("client identifier invalid");
    const secret = await authFailure(
      passwordGrant({ ...base, consumerKey: app.consumerKey, consumerSecret: "wrong" }),
    );
    expect(secret.errorCode).toBe("invalid_client");
  });

  it("a 302 from the token endpoint is an auth error, never a GET", async () => {
    const { seen, fetch } = recordingFetch();
    org.faults.next({
      path: "/services/oauth2/token",
      status: 302,
      headers: { Location: `${org.url}/home` },
      body: "",
    });
    const { username, password, securityToken } = admin();
    const client = clientWith(
      passwordGrant({ username, password, securityToken, ...keys, loginUrl: org.loginUrl }),
      {
        fetch,
      },
    );
    const error = await rejection(client.session());
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.errorCode).toBe("302");
    expect(error.message).toMatch(/redirect/);
    expect(seen.map((r) => r.method)).toEqual(["POST"]);
    await client.close();
  });

  it("a maintenance page at the token endpoint: the status as code and the page's text", async () => {
    org.faults.next({ path: "/services/oauth2/token", html: true });
    const { username, password, securityToken } = admin();
    const client = clientWith(
      passwordGrant({ username, password, securityToken, ...keys, loginUrl: org.loginUrl }),
    );
    const error = await rejection(client.session());
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.errorCode).toBe("503");
    expect(error.message).toContain("down for maintenance");
    expect(error.message).not.toMatch(/<\/?[a-z]+/i);
    await client.close();
  });
});

describe("JWT bearer grant", () => {
  const base = () => ({ username: admin().username, consumerKey: app.consumerKey, loginUrl: org.loginUrl });

  it("signs with a PEM string and logs in", async () => {
    const { seen, fetch } = recordingFetch();
    const client = clientWith(jwtBearerGrant({ ...base(), privateKey: app.privateKey! }), { fetch });
    expect((await client.request({ path: "limits" })).status).toBe(200);
    const form = new URLSearchParams(seen[0]!.body);
    expect(form.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    const claims = JSON.parse(Buffer.from(form.get("assertion")!.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ iss: app.consumerKey, sub: admin().username, aud: org.loginUrl });
    expect(Number.isInteger(claims.exp)).toBe(true);
    const now = Math.floor(Date.now() / 1000);
    expect(claims.exp).toBeGreaterThan(now + 100);
    expect(claims.exp).toBeLessThanOrEqual(now + 181);
    await client.close();
  });

  it("reads the key from privateKeyFile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sfkit-jwt-"));
    const file = join(dir, "server.key");
    writeFileSync(file, app.privateKey!);
    await works(jwtBearerGrant({ ...base(), privateKeyFile: file }));
  });

  it("aud login.salesforce.com is accepted too, and the token host can differ from the login domain", async () => {
    const { seen, fetch } = recordingFetch();
    const client = clientWith(
      jwtBearerGrant({
        ...base(),
        loginUrl: undefined,
        domain: "login",
        instanceUrl: org.url,
        privateKey: app.privateKey!,
      }),
      { fetch },
    );
    expect((await client.request({ path: "limits" })).status).toBe(200);
    expect(seen[0]!.url).toBe(`${org.url}/services/oauth2/token`);
    const claims = JSON.parse(
      Buffer.from(
        new URLSearchParams(seen[0]!.body).get("assertion")!.split(".")[1]!,
        "base64url",
      ).toString(),
    );
    expect(claims.aud).toBe("https://login.salesforce.com");
    await client.close();
  });

  it("A10: domain test gives aud https://test.salesforce.com while the token goes to the instance host", async () => {
    const { seen, fetch } = recordingFetch();
    const client = clientWith(
      jwtBearerGrant({
        ...base(),
        loginUrl: undefined,
        domain: "test",
        instanceUrl: org.url,
        privateKey: app.privateKey!,
      }),
      { fetch },
    );
    expect((await client.request({ path: "limits" })).status).toBe(200);
    expect(seen[0]!.url).toBe(`${org.url}/services/oauth2/token`);
    const assertion = new URLSearchParams(seen[0]!.body).get("assertion")!;
    expect(JSON.parse(Buffer.from(assertion.split(".")[1]!, "base64url").toString()).aud).toBe(
      "https://test.salesforce.com",
    );
    await client.close();
  });

  it("bad signature (a key the app does not hold) → invalid_grant", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    const error = await authFailure(jwtBearerGrant({ ...base(), privateKey: other.toString() }));
    expect(error.errorCode).toBe("invalid_grant");
    expect(error.message).toContain("invalid assertion");
    expect(error.message).toContain("certificate of the connected app");
  });

  it("expired assertion (the org's clock is ahead) → invalid_grant", async () => {
    const ahead = await startEmulator({ port: 0, now: () => Date.now() + 10 * 60_000 });
    try {
      const error = await authFailure(
        jwtBearerGrant({
          username: ahead.users[0]!.username,
          consumerKey: app.consumerKey,
          loginUrl: ahead.loginUrl,
          privateKey: app.privateKey!,
        }),
      );
      expect(error.errorCode).toBe("invalid_grant");
      expect(error.message).toContain("expired authorization code");
      expect(error.message).toContain("clock");
    } finally {
      await ahead.close();
    }
  });

  it("wrong audience → invalid_grant", async () => {
    const error = await authFailure(
      jwtBearerGrant({ ...base(), audience: "https://elsewhere.example.com", privateKey: app.privateKey! }),
    );
    expect(error.errorCode).toBe("invalid_grant");
    expect(error.message).toMatch(/aud claim/);
  });

  it("unknown client → invalid_client_id", async () => {
    const error = await authFailure(
      jwtBearerGrant({ ...base(), consumerKey: "3MVGnobody", privateKey: app.privateKey! }),
    );
    expect(error.errorCode).toBe("invalid_client_id");
  });

  it("A11: an unapproved user gets invalid_grant, a warning and the authorize URL", async () => {
    const { logger, lines } = recordingLogger();
    const client = clientWith(
      jwtBearerGrant({ ...base(), username: "stranger@sfkit.test", privateKey: app.privateKey! }),
      { logger },
    );
    const error = await rejection(client.session());
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.errorCode).toBe("invalid_grant");
    expect(error.message).toContain("user hasn't approved this consumer");
    const authorize = `${org.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${app.consumerKey}&redirect_uri=`;
    expect(error.message).toContain(authorize);
    expect(lines.some((l) => l.startsWith("warn") && l.includes(authorize))).toBe(true);
    await client.close();
  });
});

describe("client credentials grant", () => {
  it("logs in as the app's run-as user with HTTP Basic credentials", async () => {
    const { seen, fetch } = recordingFetch();
    const client = clientWith(clientCredentialsGrant({ ...keys, loginUrl: org.loginUrl }), { fetch });
    expect((await client.request({ path: "limits" })).status).toBe(200);
    expect(seen[0]!.headers["authorization"]).toBe(
      `Basic ${Buffer.from(`${app.consumerKey}:${app.consumerSecret}`).toString("base64")}`,
    );
    expect(seen[0]!.body).toBe("grant_type=client_credentials");
    expect((await client.session()).userId).toBe(org.findUser(app.runAs!)!.userId);
    await client.close();
  });

  it("wrong secret → invalid_client; unknown client → invalid_client_id", async () => {
    expect(
      (await authFailure(clientCredentialsGrant({ ...keys, consumerSecret: "nope", loginUrl: org.loginUrl })))
        .errorCode,
    ).toBe("invalid_client");
    expect(
      (
        await authFailure(
          clientCredentialsGrant({ consumerKey: "3MVGx", consumerSecret: "y", loginUrl: org.loginUrl }),
        )
      ).errorCode,
    ).toBe("invalid_client_id");
  });

  it("login and test domains are refused before any request", () => {
    const before = org.stats.requests;
    expect(() => clientCredentialsGrant({ ...keys, domain: "login" })).toThrow(ConfigurationError);
    expect(() => clientCredentialsGrant({ ...keys, domain: "test" })).toThrow(/My Domain/);
    expect(org.stats.requests).toBe(before);
  });
});

describe("refresh token grant", () => {
  it("gets an access token from a refresh token", async () => {
    const refreshToken = org.sessions.issueRefreshToken(admin(), app.consumerKey);
    const session = await works(refreshTokenGrant({ refreshToken, ...keys, loginUrl: org.loginUrl }));
    expect(session.userId).toBe(admin().userId);
  });

  it("starts with a given access token and only refreshes when it expires", async () => {
    const refreshToken = org.sessions.issueRefreshToken(admin(), app.consumerKey);
    const current = org.sessions.create(admin(), "oauth", { clientId: app.consumerKey });
    const { seen, fetch } = recordingFetch();
    const client = clientWith(
      refreshTokenGrant({
        refreshToken,
        consumerKey: app.consumerKey,
        loginUrl: org.loginUrl,
        accessToken: current.token,
        instanceUrl: org.url,
      }),
      { fetch },
    );
    await client.request({ path: "limits" });
    expect(tokenCalls(seen)).toBe(0);
    org.sessions.expire(current.token);
    expect((await client.request({ path: "limits" })).status).toBe(200);
    expect(tokenCalls(seen)).toBe(1);
    const form = new URLSearchParams(seen.find((r) => r.url.endsWith("/token"))!.body);
    expect(form.get("grant_type")).toBe("refresh_token");
    expect(form.get("refresh_token")).toBe(refreshToken);
    expect(form.has("client_secret")).toBe(false);
    await client.close();
  });

  it("keeps a rotated refresh token and hands it to onRefreshToken", async () => {
    const rotating = await startEmulator({
      port: 0,
      connectedApps: [{ consumerKey: "3MVGrotating", consumerSecret: "ROTATING", rotateRefreshTokens: true }],
    });
    try {
      const first = rotating.sessions.issueRefreshToken(rotating.users[0]!, "3MVGrotating");
      const handed: string[] = [];
      const client = clientWith(
        refreshTokenGrant({
          refreshToken: first,
          consumerKey: "3MVGrotating",
          loginUrl: rotating.loginUrl,
          onRefreshToken: (token) => handed.push(token),
        }),
      );
      await client.request({ path: "limits" });
      expect(handed).toHaveLength(1);
      expect(handed[0]).not.toBe(first);
      // the next refresh must use the new token (the old one is retired)
      rotating.sessions.expire((await client.session()).accessToken);
      expect((await client.request({ path: "limits" })).status).toBe(200);
      expect(handed).toHaveLength(2);
      await client.close();
    } finally {
      await rotating.close();
    }
  });

  it("unknown or revoked refresh token → invalid_grant (expired access/refresh token)", async () => {
    const unknown = await authFailure(
      refreshTokenGrant({ refreshToken: "5Aep861nope", ...keys, loginUrl: org.loginUrl }),
    );
    expect(unknown.errorCode).toBe("invalid_grant");
    expect(unknown.message).toContain("expired access/refresh token");
    expect(unknown.message).toContain("authorizing the app again");
    const refreshToken = org.sessions.issueRefreshToken(admin(), app.consumerKey);
    org.sessions.revoke(refreshToken);
    expect(
      (await authFailure(refreshTokenGrant({ refreshToken, ...keys, loginUrl: org.loginUrl }))).errorCode,
    ).toBe("invalid_grant");
  });

  it("a refresh token revoked mid-work: the call fails with the auth error, once", async () => {
    const refreshToken = org.sessions.issueRefreshToken(admin(), app.consumerKey);
    const { seen, fetch } = recordingFetch();
    const client = clientWith(refreshTokenGrant({ refreshToken, ...keys, loginUrl: org.loginUrl }), {
      fetch,
    });
    await client.request({ path: "limits" });
    org.sessions.revoke(refreshToken); // also ends the access tokens issued from it
    const error = await rejection(client.request({ path: "limits" }));
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.errorCode).toBe("invalid_grant");
    expect(tokenCalls(seen)).toBe(2);
    await client.close();
  });
});

describe("a session that expires mid-work is renewed once by re-running the grant", () => {
  const strategies: Array<[string, () => AuthStrategy]> = [
    ["password", () => passwordGrant({ ...admin(), ...keys, loginUrl: org.loginUrl })],
    [
      "jwt-bearer",
      () =>
        jwtBearerGrant({
          username: admin().username,
          consumerKey: app.consumerKey,
          privateKey: app.privateKey!,
          loginUrl: org.loginUrl,
        }),
    ],
    ["client_credentials", () => clientCredentialsGrant({ ...keys, loginUrl: org.loginUrl })],
    [
      "refresh_token",
      () =>
        refreshTokenGrant({
          refreshToken: org.sessions.issueRefreshToken(admin(), app.consumerKey),
          ...keys,
          loginUrl: org.loginUrl,
        }),
    ],
  ];

  it.each(strategies)("%s", async (_name, make) => {
    const { seen, fetch } = recordingFetch();
    const client = clientWith(make(), { fetch });
    const first = await client.session();
    await client.request({ path: "limits" });
    org.sessions.expire(first.accessToken);
    const results = await Promise.all([1, 2, 3].map(() => client.request({ path: "limits" })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(tokenCalls(seen)).toBe(2);
    expect((await client.session()).accessToken).not.toBe(first.accessToken);
    await client.close();
  });

  it("a refresh that fails stops with the grant's error (password changed meanwhile)", async () => {
    const user = { username: "rotating@sfkit.test", password: "Before-1" };
    org.addUser(user);
    const { seen, fetch } = recordingFetch();
    const client = clientWith(passwordGrant({ ...user, ...keys, loginUrl: org.loginUrl }), { fetch });
    await client.request({ path: "limits" });
    org.findUser(user.username)!.password = "After-2";
    org.sessions.expire((await client.session()).accessToken);
    const error = await rejection(client.request({ path: "limits" }));
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.errorCode).toBe("invalid_grant");
    expect(tokenCalls(seen)).toBe(2);
    await client.close();
  });

  it("F03: a 401 no new token can fix ends without a refresh, with the server's code and message", async () => {
    const { seen, fetch } = recordingFetch();
    const client = clientWith(clientCredentialsGrant({ ...keys, loginUrl: org.loginUrl }), { fetch });
    await client.session();
    org.faults.next({
      path: "/limits",
      status: 401,
      times: 50,
      body: [
        { message: "This session is not valid for use with the REST API", errorCode: "INVALID_SESSION_ID" },
      ],
    });
    const error = await rejection(client.request({ path: "limits" }));
    org.faults.clear();
    expect(error).toBeInstanceOf(SalesforceExpiredSession);
    expect(error.errorCode).toBe("INVALID_SESSION_ID");
    expect(error.message).toContain("This session is not valid for use with the REST API");
    expect(tokenCalls(seen)).toBe(1); // no refresh: a new token cannot help
    await client.close();
  });
});

describe("logout revokes the access token", () => {
  it("the token stops working; a second logout is harmless", async () => {
    const client = clientWith(clientCredentialsGrant({ ...keys, loginUrl: org.loginUrl }));
    const session = await client.session();
    await client.logout();
    const direct = createClient({ instanceUrl: org.url, sessionId: session.accessToken, retry: false });
    expect(await rejection(direct.request({ path: "limits" }))).toBeInstanceOf(SalesforceExpiredSession);
    await direct.close();
    await expect(client.logout()).resolves.toBeUndefined();
    // a token that already ended (expired, revoked elsewhere) logs out quietly too
    const other = clientWith(clientCredentialsGrant({ ...keys, loginUrl: org.loginUrl }));
    org.sessions.revoke((await other.session()).accessToken);
    await expect(other.logout()).resolves.toBeUndefined();
    await other.close();
    await client.close();
  });
});

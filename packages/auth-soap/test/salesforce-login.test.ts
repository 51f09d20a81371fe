import { type AuthStrategy, createClient, SalesforceAuthenticationFailed } from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { salesforceLogin, soapLogin } from "../src/index.js";
import { printable, recordingLogger, rejection } from "./helpers.js";

let org: Emulator;
const CANARY_PASSWORD = "CANARY-pw-&<7f3a9e>-secret";
const CANARY_TOKEN = "CANARYtok9d2b41";
const canaryUser = { username: "canary@sfkit.test", password: CANARY_PASSWORD, securityToken: CANARY_TOKEN };

beforeAll(async () => {
  org = await startEmulator({ port: 0, users: [canaryUser] });
});
afterAll(async () => {
  await org.close();
});

describe("salesforceLogin", () => {
  it("returns { sessionId, instance, instanceUrl } without a client, scheme and port kept", async () => {
    const { username, password, securityToken } = org.users[0]!;
    const result = await salesforceLogin({ username, password, securityToken, loginUrl: org.loginUrl });
    const { sessionId, instance, instanceUrl } = result;
    expect(instanceUrl).toBe(org.url);
    expect(instance).toBe(new URL(org.url).host);
    expect(instance).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(result.userId).toBe(org.users[0]!.userId);
    expect(result.organizationId).toBe(org.organizationId);
    expect(result.serverUrl).toMatch(/\/services\/Soap\/u\/\d+\.0\//);
    expect(result.userInfo.userName).toBe(username);
    // the session works on its own
    const client = createClient({ instanceUrl, sessionId, retry: false });
    expect((await client.request({ path: "limits" })).status).toBe(200);
    await client.close();
    // and stays out of JSON and util.inspect
    expect(printable(result)).not.toContain(sessionId);
  });

  it("takes any other strategy as auth (an OAuth grant, say)", async () => {
    const { username, password, securityToken } = org.users[0]!;
    const oauthLike: AuthStrategy = {
      kind: "custom",
      async login(ctx) {
        // any strategy works; this one reuses the SOAP login to stand in for an OAuth grant
        return soapLogin({ username, password, securityToken, loginUrl: org.loginUrl }).login(ctx);
      },
    };
    const result = await salesforceLogin({ auth: oauthLike });
    expect(result.instanceUrl).toBe(org.url);
    expect(result.sessionId).toMatch(/!/);
  });

  it("fails with SalesforceAuthenticationFailed and Salesforce's code", async () => {
    const error = await rejection(
      salesforceLogin({ username: org.users[0]!.username, password: "nope", loginUrl: org.loginUrl }),
    );
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.errorCode).toBe("INVALID_LOGIN");
  });
});

describe("a canary secret never reaches an error, a log line or util.inspect", () => {
  it("password and token stay hidden in successes, failures and refreshes", async () => {
    const { logger, lines } = recordingLogger();
    const shown: unknown[] = [];
    const strategy = soapLogin({ ...canaryUser, loginUrl: org.loginUrl });
    const client = createClient({ auth: strategy, logger, retry: false });
    await client.request({ path: "limits" });
    const session = await client.session();
    org.sessions.expire(session.accessToken);
    await client.request({ path: "limits" });
    shown.push(client, strategy, session, await client.session());
    // failures: wrong token, wrong password, a refresh that fails
    for (const options of [
      { ...canaryUser, securityToken: `${CANARY_TOKEN}x` },
      { ...canaryUser, password: `${CANARY_PASSWORD}x` },
    ]) {
      const failing = createClient({ auth: soapLogin({ ...options, loginUrl: org.loginUrl }), logger });
      shown.push(await rejection(failing.request({ path: "limits" })), failing);
      await failing.close();
    }
    org.findUser(canaryUser.username)!.password = "changed-elsewhere";
    org.sessions.expire((await client.session()).accessToken);
    shown.push(await rejection(client.request({ path: "limits" })));
    org.findUser(canaryUser.username)!.password = CANARY_PASSWORD;
    shown.push(await salesforceLogin({ ...canaryUser, loginUrl: org.loginUrl, logger }));
    // the maintenance page and logout paths too
    org.faults.next({ path: "/services/Soap/u/", html: true });
    shown.push(await rejection(salesforceLogin({ ...canaryUser, loginUrl: org.loginUrl, logger })));
    await client.logout();
    await client.close();
    const text = [...shown.map(printable), lines.join("\n")].join("\n");
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [
      CANARY_PASSWORD,
      CANARY_TOKEN,
      "CANARY-pw",
      "7f3a9e",
      encodeURIComponent(CANARY_PASSWORD),
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("canary@sfkit.test"); // the username is not a secret, and helps
  });
});

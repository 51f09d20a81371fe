import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuthStrategy,
  SalesforceAuthenticationFailed,
  SalesforceExpiredSession,
  createClient,
  createSession,
  refreshCanHelp,
} from "../src/index.js";
import { json, startTestServer } from "./helpers/test-server.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.url.includes("barred"))
      return json(res, 401, [
        { message: "This session is not valid for use with the REST API", errorCode: "INVALID_SESSION_ID" },
      ]);
    if (req.url.includes("expired"))
      return json(res, 401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    json(res, 200, {});
  });
});
afterAll(() => server.close());

function counting(options: { failLogin?: string; failRefresh?: string } = {}) {
  const calls = { login: 0, refresh: 0 };
  const strategy: AuthStrategy = {
    kind: "test",
    async login() {
      calls.login++;
      if (options.failLogin) throw new Error(`login refused for password ${options.failLogin}`);
      return createSession({ accessToken: `t${calls.login}`, instanceUrl: server.url });
    },
    async refresh() {
      calls.refresh++;
      if (options.failRefresh)
        throw new SalesforceAuthenticationFailed(`refresh refused for ${options.failRefresh}`, {
          excerpt: `secret was ${options.failRefresh}`,
        });
      return createSession({ accessToken: `r${calls.refresh}`, instanceUrl: server.url });
    },
    secrets: () => [options.failLogin, options.failRefresh].filter((s): s is string => !!s),
  };
  return { strategy, calls };
}

describe("F03's kind: a 401 that no new session can fix", () => {
  it("is reported at once, with the server's code and message, without a refresh", async () => {
    const { strategy, calls } = counting();
    const client = createClient({ auth: strategy, retry: false });
    const error = await client.request({ path: "barred" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceExpiredSession);
    expect((error as SalesforceExpiredSession).errorCode).toBe("INVALID_SESSION_ID");
    expect((error as Error).message).toContain("This session is not valid for use with the REST API");
    expect(calls).toEqual({ login: 1, refresh: 0 });
    // a real expiry still refreshes once
    await client.request({ path: "expired" }).catch(() => undefined);
    expect(calls.refresh).toBe(1);
    await client.close();
  });

  it("refreshCanHelp tells the two apart", () => {
    expect(refreshCanHelp({ message: "GET /x → 401 INVALID_SESSION_ID: Session expired or invalid" })).toBe(
      true,
    );
    expect(
      refreshCanHelp({
        message: "x",
        excerpt: '[{"message":"This session is not valid for use with the API"}]',
      }),
    ).toBe(false);
    expect(refreshCanHelp({ message: "Connected app is not attached to Agent" })).toBe(false);
  });
});

describe("errors a strategy throws lose the strategy's secrets", () => {
  const CANARY = "CANARY-strategy-secret-77ab";
  it("at login", async () => {
    const { strategy } = counting({ failLogin: CANARY });
    const client = createClient({ auth: strategy });
    const error = await client.request({ path: "ok" }).catch((e: unknown) => e);
    expect((error as Error).message).toContain("login refused for password [redacted]");
    expect(`${inspect(error)}\n${(error as Error).stack}`).not.toContain(CANARY);
    await client.close();
  });

  it("at refresh, causes included", async () => {
    const strategy: AuthStrategy = {
      kind: "plain",
      login: async () => createSession({ accessToken: "t", instanceUrl: server.url }),
      refresh: async () => {
        throw new Error(`refresh refused for ${CANARY}`);
      },
      secrets: () => [CANARY],
    };
    const client = createClient({ auth: strategy, retry: false });
    const error = await client.request({ path: "expired" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(inspect(error, { showHidden: true, depth: 5 })).not.toContain(CANARY);
    await client.close();
  });

  it("at refresh (a typed error)", async () => {
    const { strategy } = counting({ failRefresh: CANARY });
    const client = createClient({ auth: strategy, retry: false });
    const error = await client.request({ path: "expired" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(`${inspect(error, { showHidden: true })}\n${(error as Error).stack}`).not.toContain(CANARY);
    await client.close();
  });
});

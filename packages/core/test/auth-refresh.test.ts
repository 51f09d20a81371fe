import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuthStrategy,
  SalesforceAuthenticationFailed,
  SalesforceExpiredSession,
  SalesforceRefusedRequest,
  createClient,
  createSession,
} from "../src/index.js";
import { json, startTestServer } from "./helpers/test-server.js";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let first: Server;
let second: Server;
const valid = new Set<string>();

/** Answers as Salesforce does: only tokens in `valid` are accepted. */
function salesforceLike(name: string) {
  return startTestServer((req, res) => {
    const token = req.headers.authorization?.replace("Bearer ", "") ?? "";
    if (!valid.has(token))
      return json(res, 401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    json(res, 200, { server: name, token });
  });
}

beforeAll(async () => {
  first = await salesforceLike("first");
  second = await salesforceLike("second");
});
afterAll(async () => {
  await first.close();
  await second.close();
});

/** A strategy with a counter, the way an auth package implements the interface. */
function countingStrategy(options: {
  refreshTo?: () => { token: string; instanceUrl: string };
  failRefresh?: boolean;
}) {
  const calls = { login: 0, refresh: 0 };
  const strategy: AuthStrategy = {
    kind: "test",
    async login() {
      calls.login++;
      return createSession({ accessToken: "token-1", instanceUrl: first.url });
    },
    async refresh() {
      calls.refresh++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (options.failRefresh)
        throw new SalesforceAuthenticationFailed("refresh refused: invalid_grant", {
          errorCode: "invalid_grant",
        });
      const next = options.refreshTo?.() ?? { token: "token-2", instanceUrl: first.url };
      return createSession({ accessToken: next.token, instanceUrl: next.instanceUrl });
    },
  };
  return { strategy, calls };
}

describe("refresh once on INVALID_SESSION_ID", () => {
  it("refreshes, then replays against the new instance URL", async () => {
    valid.clear();
    valid.add("token-1");
    const { strategy, calls } = countingStrategy({
      refreshTo: () => ({ token: "token-2", instanceUrl: second.url }),
    });
    const client = createClient({ auth: strategy });
    expect((await client.request<{ server: string }>({ path: "limits" })).data.server).toBe("first");
    valid.clear();
    valid.add("token-2");
    const after = await client.request<{ server: string; token: string }>({ path: "limits" });
    expect(after.data).toEqual({ server: "second", token: "token-2" });
    expect(client.instanceUrl).toBe(second.url);
    expect(calls).toEqual({ login: 1, refresh: 1 });
    await client.close();
  });

  it("concurrent requests that see the same expiry share one refresh", async () => {
    valid.clear();
    const { strategy, calls } = countingStrategy({});
    const client = createClient({ auth: strategy });
    valid.add("token-2");
    const results = await Promise.all(
      Array.from({ length: 8 }, () => client.request<{ token: string }>({ path: "limits" })),
    );
    expect(results.every((r) => r.data.token === "token-2")).toBe(true);
    expect(calls.refresh).toBe(1);
    await client.close();
  });

  it("a 401 that the refresh cannot fix fails after one refresh, never loops (F03)", async () => {
    valid.clear();
    const { strategy, calls } = countingStrategy({});
    const client = createClient({ auth: strategy });
    const before = first.requests.length;
    const error = await client.request({ path: "limits" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceExpiredSession);
    expect((error as SalesforceExpiredSession).errorCode).toBe("INVALID_SESSION_ID");
    expect(calls.refresh).toBe(1);
    expect(first.requests.length - before).toBe(2);
    await client.close();
  });

  it("a failed refresh settles the call with the auth error, and the next call logs in again (F03)", async () => {
    valid.clear();
    const { strategy, calls } = countingStrategy({ failRefresh: true });
    const client = createClient({ auth: strategy });
    await expect(client.request({ path: "limits" })).rejects.toBeInstanceOf(SalesforceAuthenticationFailed);
    valid.add("token-1");
    await expect(client.request({ path: "limits" })).resolves.toMatchObject({ status: 200 });
    expect(calls.login).toBe(2);
    await client.close();
  });

  it("a fixed session (sessionId) has no refresh: expiry is a SalesforceExpiredSession at once", async () => {
    valid.clear();
    const client = createClient({ instanceUrl: first.url, sessionId: "old" });
    await expect(client.request({ path: "limits" })).rejects.toBeInstanceOf(SalesforceExpiredSession);
    await client.close();
  });

  it("a 403 does not trigger a refresh (F18)", async () => {
    const { strategy, calls } = countingStrategy({});
    const server = await startTestServer((_req, res) =>
      json(res, 403, [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]),
    );
    const client = createClient({
      auth: { ...strategy, login: async () => createSession({ accessToken: "t", instanceUrl: server.url }) },
    });
    await expect(client.request({ path: "limits" })).rejects.toBeInstanceOf(SalesforceRefusedRequest);
    expect(calls.refresh).toBe(0);
    await client.close();
    await server.close();
  });

  it("a Bulk 1.0 400 InvalidSessionId is an expiry and goes through the refresh", async () => {
    let accepted = "none";
    const server = await startTestServer((req, res) => {
      if (req.headers["x-sfdc-session"] !== accepted) {
        res.writeHead(400, { "content-type": "application/xml" });
        return res.end(
          '<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>InvalidSessionId</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>',
        );
      }
      json(res, 200, { ok: true });
    });
    const { strategy, calls } = countingStrategy({
      refreshTo: () => ({ token: "fresh", instanceUrl: server.url }),
    });
    const client = createClient({
      auth: {
        ...strategy,
        login: async () => createSession({ accessToken: "stale", instanceUrl: server.url }),
      },
    });
    accepted = "fresh";
    await expect(
      client.request({ path: "/services/async/62.0/job", auth: "sfdc-session" }),
    ).resolves.toMatchObject({ data: { ok: true } });
    expect(calls.refresh).toBe(1);
    await client.close();
    await server.close();
  });
});

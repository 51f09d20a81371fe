import { inspect } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthStrategy, createClient, createSession } from "../src/index.js";
import { json, startTestServer } from "./helpers/test-server.js";

const CANARY = "00DCANARY!SECRET-session-token-4f1c";
let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.url.includes("fail"))
      return json(res, 500, [{ errorCode: "UNKNOWN_EXCEPTION", message: "boom" }]);
    if (req.url.includes("expire"))
      return json(res, 401, [{ errorCode: "INVALID_SESSION_ID", message: "Session expired or invalid" }]);
    json(res, 200, {});
  });
});
afterAll(() => server.close());

function everythingPrintable(value: unknown): string {
  return [
    String(value),
    JSON.stringify(value),
    inspect(value, { depth: 10, showHidden: false }),
    (value as Error)?.stack ?? "",
  ].join("\n");
}

describe("secrets never reach errors, logs or util.inspect", () => {
  it("the client, its session and its errors do not show the session id", async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, d?: unknown) => lines.push(m + JSON.stringify(d ?? "")),
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    const client = createClient({ instanceUrl: server.url, sessionId: CANARY, logger, retry: false });
    await client.request({ path: "limits" });
    const failures = await Promise.all([
      client.request({ path: "fail" }).catch((e: unknown) => e),
      client.request({ path: "expire" }).catch((e: unknown) => e),
      client.request({ path: `query?access_token=${CANARY}` }).catch((e: unknown) => e),
    ]);
    await client.request({ path: "limits", query: { access_token: CANARY } });
    const session = await client.session();
    expect(session.accessToken).toBe(CANARY); // the caller can still read it on purpose
    const shown = [
      everythingPrintable(client),
      everythingPrintable(session),
      ...failures.map(everythingPrintable),
      lines.join("\n"),
    ].join("\n");
    expect(lines.length).toBeGreaterThan(0);
    expect(shown).not.toContain(CANARY);
    expect(shown).not.toContain(encodeURIComponent(CANARY));
    await client.close();
  });

  it("a strategy's session stays hidden too", () => {
    const strategy: AuthStrategy = {
      kind: "x",
      login: async () => createSession({ accessToken: CANARY, instanceUrl: server.url }),
    };
    const client = createClient({ auth: strategy });
    expect(everythingPrintable(client)).not.toContain(CANARY);
  });

  it("a session given up (logged out, or replaced by a refresh) is not kept by the client", async () => {
    setFlagsFromString("--expose-gc");
    const collectGarbage = runInNewContext("gc") as () => void;
    let logins = 0;
    const strategy: AuthStrategy = {
      kind: "x",
      login: async () => createSession({ accessToken: `token-${++logins}`, instanceUrl: server.url }),
      refresh: async () => createSession({ accessToken: `token-${++logins}`, instanceUrl: server.url }),
      logout: async () => undefined,
    };
    const client = createClient({ auth: strategy, retry: false });
    // Built in a function of their own, so that no local variable of this test keeps a session.
    const usedThenLoggedOut = async () => {
      const session = new WeakRef(await client.session());
      await client.request({ path: "limits" });
      await client.request({ path: "limits" }); // served from the client's memo of the session
      await client.logout();
      return session;
    };
    const usedThenExpired = async () => {
      const session = new WeakRef(await client.session());
      await client.request({ path: "limits" });
      await client.request({ path: "expire" }).catch(() => undefined); // 401: refreshed, then expires again
      return session;
    };
    const gone = async (session: WeakRef<object>) => {
      for (let round = 0; round < 5 && session.deref(); round++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        collectGarbage();
      }
      return session.deref() === undefined;
    };
    // checked before the next request, which would replace whatever the client remembered anyway
    const loggedOut = await usedThenLoggedOut();
    expect(await gone(loggedOut), "the logged-out session is still reachable").toBe(true);
    const expired = await usedThenExpired();
    expect(await gone(expired), "the session a refresh replaced is still reachable").toBe(true);
    expect(logins).toBeGreaterThanOrEqual(3);
    await client.close();
  });
});

import { soapLogin } from "@sfkit/auth-soap";
import {
  ConfigurationError,
  createClient,
  type PreparedRequest,
  SalesforceResourceNotFound,
} from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import { rest } from "@sfkit/rest";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { recordCount, type SlowCall, slowCalls } from "../src/index.js";

let org: Emulator;
const clients: Array<{ close(): Promise<void> }> = [];

function connect(options: Parameters<typeof createClient>[0] = {}) {
  const user = org.users[0]!;
  const client = createClient({
    auth: soapLogin({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      loginUrl: org.loginUrl,
    }),
    ...options,
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await org?.close();
});

describe("recordCount()", () => {
  it("adds sf.recordCount, which counts the records of the objects asked for", async () => {
    const sf = connect().extend(rest()).extend(recordCount());
    const before = await sf.recordCount(["Account", "Contact"]);
    await sf.sobjects.Account.create({ Name: "Count me 1" });
    await sf.sobjects.Account.create({ Name: "Count me 2" });
    const after = await sf.recordCount(["Account", "Contact"]);
    expect(Object.keys(after).sort()).toEqual(["Account", "Contact"]);
    expect(after.Account).toBe((before.Account ?? 0) + 2);
    expect(after.Contact).toBe(before.Contact);
  });

  it("sends GET limits/recordCount?sObjects=A,B once, names de-duplicated", async () => {
    const client = connect();
    const seen: string[] = [];
    client.hook.after<PreparedRequest, unknown>("request", (_response, request) => {
      seen.push(`${request.method} ${request.url}`);
    });
    const sf = client.extend(recordCount());
    await sf.recordCount("Account, Contact,Account");
    expect(seen.filter((line) => line.includes("recordCount"))).toEqual([
      `GET ${org.url}/services/data/v${sf.apiVersion}/limits/recordCount?sObjects=Account%2CContact`,
    ]);
  });

  it("lists every counted object when called with no argument", async () => {
    const sf = connect().extend(rest()).extend(recordCount());
    await sf.sobjects.Account.create({ Name: "Listed" });
    const counts = await sf.recordCount();
    expect(counts.Account).toBeGreaterThan(0);
    for (const value of Object.values(counts)) expect(Number.isInteger(value)).toBe(true);
  });

  it("gives 0 for an object with no records (Salesforce leaves it out)", async () => {
    const sf = connect().extend(recordCount());
    const counts = await sf.recordCount(["Case"]);
    expect(counts).toEqual({ Case: 0 });
  });

  it("refuses names that are not sObject API names, before any request", async () => {
    const sf = connect().extend(recordCount());
    await expect(sf.recordCount(["Account&x=1"])).rejects.toBeInstanceOf(ConfigurationError);
    await expect(sf.recordCount([])).rejects.toThrow(/empty list/);
  });

  it("is typed: the key exists only on clients extended with the plugin", () => {
    const plain = createClient({ instanceUrl: "https://example.my.salesforce.com", sessionId: "x" });
    const sf = plain.extend(recordCount());
    expectTypeOf(sf.recordCount).returns.resolves.toEqualTypeOf<Record<string, number>>();
    // @ts-expect-error recordCount() was not added to this client
    expect(plain.recordCount).toBeUndefined();
    clients.push(plain);
  });
});

describe("slowCalls()", () => {
  it("reports calls at or above the threshold, with method, URL, status and duration", async () => {
    let clock = 0;
    const reported: SlowCall[] = [];
    const sf = connect()
      .extend(recordCount())
      .extend(
        slowCalls({
          thresholdMs: 1000,
          now: () => (clock += 600),
          onSlowCall: (call) => reported.push(call),
        }),
      );
    await sf.recordCount(["Account"]); // 600 ms on the fake clock: not slow
    expect(reported).toEqual([]);
  });

  it("reports a slow call", async () => {
    let clock = 0;
    const reported: SlowCall[] = [];
    const sf = connect()
      .extend(recordCount())
      .extend(
        slowCalls({ thresholdMs: 1000, now: () => (clock += 2500), onSlowCall: (c) => reported.push(c) }),
      );
    await sf.recordCount(["Account"]);
    expect(reported).toEqual([
      {
        method: "GET",
        url: `${org.url}/services/data/v${sf.apiVersion}/limits/recordCount?sObjects=Account`,
        status: 200,
        durationMs: 2500,
        failed: false,
      },
    ]);
  });

  it("reports failed calls too, and the error still reaches the caller", async () => {
    const reported: SlowCall[] = [];
    const sf = connect().extend(slowCalls({ thresholdMs: 0, onSlowCall: (c) => reported.push(c) }));
    await expect(sf.request({ path: "sobjects/Account/001000000000000AAA" })).rejects.toBeInstanceOf(
      SalesforceResourceNotFound,
    );
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ method: "GET", status: 404, failed: true });
  });

  it("logs through the client's logger by default, with no secret in the line", async () => {
    const lines: string[] = [];
    const user = org.users[0]!;
    const sf = connect({ logger: { warn: (message) => lines.push(message) } }).extend(
      slowCalls({ thresholdMs: 0 }),
    );
    await sf.request({ path: "limits" });
    expect(
      lines.some((line) => /^slow Salesforce call: GET .*\/limits took \d+ ms \(status 200\)$/.test(line)),
    ).toBe(true);
    const session = await sf.session();
    for (const line of lines) {
      expect(line).not.toContain(session.accessToken);
      expect(line).not.toContain(user.password);
    }
  });

  it("a reporter that throws does not break the call; adding the plugin twice registers one hook", async () => {
    let calls = 0;
    const plugin = slowCalls({
      thresholdMs: 0,
      onSlowCall: () => {
        calls += 1;
        throw new Error("reporter bug");
      },
    });
    const sf = connect().extend(plugin).extend(plugin);
    const response = await sf.request<{ DailyApiRequests?: unknown }>({ path: "limits" });
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
  });

  it("refuses a negative threshold", () => {
    expect(() => slowCalls({ thresholdMs: -1 })).toThrow(ConfigurationError);
  });
});

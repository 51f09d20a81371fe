import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  SalesforceAbortError,
  SalesforceConnectionError,
  SalesforceGeneralError,
  SalesforceTimeoutError,
  createClient,
} from "../src/index.js";
import { json, startTestServer } from "./helpers/test-server.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer((_req, res) => json(res, 200, {}));
});
afterAll(() => server.close());

const fast = { limit: 2, backoff: 5, maxBackoff: 10 };

function failTimes(times: number, status: number, headers: Record<string, string> = {}) {
  let count = 0;
  server.setHandler((_req, res) => {
    count++;
    if (count <= times)
      return json(res, status, [{ message: "busy", errorCode: "SERVER_UNAVAILABLE" }], headers);
    json(res, 200, { attempt: count });
  });
  return () => count;
}

describe("retries: idempotent requests only, bounded (F22)", () => {
  it("a GET that meets 503 twice succeeds on the third attempt", async () => {
    const attempts = failTimes(2, 503);
    const client = createClient({ instanceUrl: server.url, sessionId: "s", retry: fast });
    await expect(client.request({ path: "x" })).resolves.toMatchObject({ data: { attempt: 3 } });
    expect(attempts()).toBe(3);
    await client.close();
  });

  it("retries stop at the limit and the last error is returned", async () => {
    const attempts = failTimes(100, 503);
    const client = createClient({ instanceUrl: server.url, sessionId: "s", retry: fast });
    await expect(client.request({ path: "x" })).rejects.toBeInstanceOf(SalesforceGeneralError);
    expect(attempts()).toBe(3);
    await client.close();
  });

  it("Retry-After is honoured (0 s), and a Retry-After beyond maxRetryAfter is not waited for", async () => {
    const attempts = failTimes(1, 503, { "retry-after": "0" });
    const client = createClient({ instanceUrl: server.url, sessionId: "s", retry: fast });
    await expect(client.request({ path: "x" })).resolves.toMatchObject({ status: 200 });
    expect(attempts()).toBe(2);
    const tooLong = failTimes(1, 503, { "retry-after": "3600" });
    await expect(client.request({ path: "x" })).rejects.toMatchObject({ status: 503 });
    expect(tooLong()).toBe(1);
    await client.close();
  });

  it("a POST that met a 503 is never replayed: it may have been applied", async () => {
    const attempts = failTimes(1, 503);
    const client = createClient({ instanceUrl: server.url, sessionId: "s", retry: fast });
    await expect(
      client.request({ method: "POST", path: "sobjects/Account", body: { Name: "x" } }),
    ).rejects.toMatchObject({ status: 503 });
    expect(attempts()).toBe(1);
    await client.close();
  });

  it("a POST whose connection dropped before the response is not replayed", async () => {
    let count = 0;
    server.setHandler((_req, res) => {
      count++;
      res.socket?.destroy();
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "s", retry: fast });
    const error = await client
      .request({ method: "POST", path: "sobjects/Account", body: { Name: "x" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceConnectionError);
    expect((error as SalesforceConnectionError).notSent).toBe(false);
    expect(count).toBe(1);
    await client.close();
  });

  it("a PATCH marked idempotent (upsert by external id) is retried", async () => {
    const attempts = failTimes(1, 502);
    const client = createClient({ instanceUrl: server.url, sessionId: "s", retry: fast });
    await client.request({ method: "PATCH", path: "sobjects/Account/Ext__c/1", body: {}, idempotent: true });
    expect(attempts()).toBe(2);
    await client.close();
  });

  it("a refused connection is a SalesforceConnectionError saying nothing was sent", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const client = createClient({ instanceUrl: `http://127.0.0.1:${port}`, sessionId: "s", retry: fast });
    const error = await client.request({ method: "POST", path: "x", body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceConnectionError);
    expect((error as SalesforceConnectionError).notSent).toBe(true);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect((error as Error).message).toContain(
      `nothing is listening at http://127.0.0.1:${port}: check the instance or login URL`,
    );
    await client.close();
  });
});

describe("time-outs and aborts", () => {
  it("a per-attempt time-out is a SalesforceTimeoutError; a GET is retried within bounds", async () => {
    let count = 0;
    server.setHandler((_req, res) => {
      count++;
      setTimeout(() => json(res, 200, {}), 300);
    });
    const warnings: string[] = [];
    const client = createClient({
      instanceUrl: server.url,
      sessionId: "s",
      timeout: 50,
      retry: { ...fast, limit: 1 },
      logger: { warn: (line: string) => warnings.push(line) },
    });
    const error = await client.request({ path: "slow" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceTimeoutError);
    expect(error).toMatchObject({ phase: "attempt", timeout: 50 });
    // Counted on the client's side: on a loaded machine an attempt can time out before the
    // server has even read it, so the server's count may be lower.
    expect(warnings.filter((line) => line.includes("timed out; retrying"))).toHaveLength(1);
    expect(count).toBeLessThanOrEqual(2);
    await client.close();
  });

  it("the total time-out bounds all attempts together", async () => {
    server.setHandler((_req, res) => setTimeout(() => json(res, 200, {}), 300));
    const client = createClient({
      instanceUrl: server.url,
      sessionId: "s",
      timeout: 1000,
      totalTimeout: 60,
      retry: fast,
    });
    await expect(client.request({ path: "slow" })).rejects.toMatchObject({
      name: "SalesforceTimeoutError",
      phase: "total",
    });
    await client.close();
  });

  it("the caller's AbortSignal ends the request with a SalesforceAbortError", async () => {
    server.setHandler((_req, res) => setTimeout(() => json(res, 200, {}), 300));
    const client = createClient({ instanceUrl: server.url, sessionId: "s", retry: fast });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(client.request({ path: "slow", signal: controller.signal })).rejects.toBeInstanceOf(
      SalesforceAbortError,
    );
    await client.close();
  });
});

describe("per-request timeout and signal, checked before anything is sent", () => {
  it("the client's timeout and totalTimeout are checked the same way, when the client is made", () => {
    for (const name of ["timeout", "totalTimeout"] as const) {
      for (const value of [0, -1, Number.NaN, "5"]) {
        const shown = typeof value === "string" ? `"${value}"` : String(value);
        expect(() =>
          createClient({ instanceUrl: server.url, sessionId: "s", [name]: value as number }),
        ).toThrow(new ConfigurationError(`${name} must be a positive number of milliseconds, not ${shown}.`));
      }
    }
  });

  it("a timeout that is not a positive number, a signal that is not an AbortSignal or an unknown responseType is a ConfigurationError", async () => {
    server.setHandler((_req, res) => json(res, 200, {}));
    const client = createClient({ instanceUrl: server.url, sessionId: "s", retry: fast });
    const before = server.requests.length;
    for (const timeout of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, "5"]) {
      const error = await client
        .request({ path: "limits", timeout: timeout as number })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      const shown = typeof timeout === "string" ? `"${timeout}"` : String(timeout);
      expect((error as Error).message).toContain(
        `timeout must be a positive number of milliseconds, not ${shown}`,
      );
    }
    const error = await client
      .request({ path: "limits", signal: {} as AbortSignal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("signal must be an AbortSignal");
    for (const responseType of ["blob", "STREAM", ""]) {
      const refused = await client
        .request({ path: "limits", responseType: responseType as "auto" })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConfigurationError);
      expect((refused as Error).message).toContain(
        `responseType must be one of "auto", "json", "text", "buffer", "stream", not "${responseType}"`,
      );
    }
    expect(server.requests.length).toBe(before);
    await expect(client.request({ path: "limits", timeout: 5000, signal: undefined })).resolves.toMatchObject(
      {
        status: 200,
      },
    );
    await client.close();
  });
});

describe("redirects", () => {
  it("a GET follows a redirect; a POST is never turned into a GET (F02's kind)", async () => {
    server.setHandler((req, res) => {
      if (req.url.startsWith("/old")) {
        res.writeHead(302, { location: "/new" });
        return res.end();
      }
      json(res, 200, { method: req.method, url: req.url });
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "s" });
    await expect(client.request({ path: "/old" })).resolves.toMatchObject({
      data: { method: "GET", url: "/new" },
    });
    const before = server.requests.length;
    const error = await client
      .request({ method: "POST", path: "/old", body: "<x/>" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_REDIRECT", status: 302 });
    expect((error as Error).message).toMatch(/does not re-send a POST as a GET/);
    expect(server.requests.length - before).toBe(1);
    await client.close();
  });
});

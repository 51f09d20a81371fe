import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  DEFAULT_API_VERSION,
  createClient,
  normalizeApiVersion,
  normalizeInstanceUrl,
} from "../src/index.js";
import { json, startTestServer } from "./helpers/test-server.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
const clients: Array<{ close(): Promise<void> }> = [];
const track = <T extends { close(): Promise<void> }>(client: T) => {
  clients.push(client);
  return client;
};

beforeAll(async () => {
  server = await startTestServer((req, res) => json(res, 200, { path: req.url }));
});
afterEach(async () => {
  server.requests.length = 0;
  server.setHandler((req, res) => json(res, 200, { path: req.url }));
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await server.close();
});

describe("createClient: instance URLs and API versions", () => {
  it.each([
    ["https://acme.my.salesforce.com", "https://acme.my.salesforce.com"],
    ["acme.my.salesforce.com", "https://acme.my.salesforce.com"],
    ["https://acme.my.salesforce.com/", "https://acme.my.salesforce.com"],
    ["http://127.0.0.1:8080//", "http://127.0.0.1:8080"],
    ["https://host.example/prefix/", "https://host.example/prefix"],
  ])("normalizeInstanceUrl(%s) is %s", (input, expected) => {
    expect(normalizeInstanceUrl(input)).toBe(expected);
  });

  it("rejects an instance that is not a URL with a ConfigurationError saying what to give", () => {
    expect(() => normalizeInstanceUrl("ftp://x")).toThrow(ConfigurationError);
    expect(() => normalizeInstanceUrl("  ")).toThrow(/instanceUrl is empty/);
  });

  it.each([
    ["64.0", "64.0"],
    ["v64.0", "64.0"],
    [64, "64.0"],
    ["64", "64.0"],
    [undefined, DEFAULT_API_VERSION],
  ])("normalizeApiVersion(%s) is %s (F25)", (input, expected) => {
    expect(normalizeApiVersion(input as string)).toBe(expected);
  });

  it("refuses versions that are not versions or are retired", () => {
    expect(() => normalizeApiVersion("latest")).toThrow(/not a Salesforce API version/);
    expect(() => normalizeApiVersion(29)).toThrow(/retired/);
  });

  it("every sub-path uses the configured version, never a default of its own (F25)", async () => {
    const client = track(createClient({ instanceUrl: server.url, sessionId: "00Dxx!token", apiVersion: 58 }));
    await client.request({ path: "sobjects/Account" });
    expect(server.requests[0]?.url).toBe("/services/data/v58.0/sobjects/Account");
    expect(client.apiVersion).toBe("58.0");
  });

  it("an instance with a port and path prefix gives correct URLs, host-relative paths are followed verbatim", async () => {
    const client = track(createClient({ instanceUrl: `${server.url}/prefix/`, sessionId: "tok" }));
    await client.request({ path: "query", query: { q: "SELECT Id FROM Account WHERE Name = 'a+b&c#d%'" } });
    await client.request({ path: "/prefix/services/data/v62.0/query/01g-2000" });
    await client.request({ path: "/services/apexrest/x" });
    expect(server.requests.map((r) => r.url)).toEqual([
      "/prefix/services/data/v62.0/query?q=SELECT%20Id%20FROM%20Account%20WHERE%20Name%20%3D%20%27a%2Bb%26c%23d%25%27",
      "/prefix/services/data/v62.0/query/01g-2000",
      "/prefix/services/apexrest/x",
    ]);
  });

  it("a full URL is used as it is", async () => {
    const client = track(
      createClient({ instance: server.url.replace("http://", "http://"), sessionId: "tok" }),
    );
    const response = await client.request({ path: `${server.url}/services/data/` });
    expect(response.data).toEqual({ path: "/services/data/" });
  });

  it("sessionId without an instance is a ConfigurationError", () => {
    expect(() => createClient({ sessionId: "x" })).toThrow(/instanceUrl or instance/);
  });

  it("a ca that is not PEM (a file path, garbage) is a ConfigurationError before any request, never echoed", () => {
    for (const ca of [
      "./certs/ca.pem",
      ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "oops"],
    ]) {
      expect(() => createClient({ instanceUrl: server.url, sessionId: "tok", ca })).toThrow(
        ConfigurationError,
      );
    }
    expect(() => createClient({ instanceUrl: server.url, sessionId: "tok", ca: "./certs/ca.pem" })).toThrow(
      /ca must be the text of a PEM certificate.*readFileSync\("ca.pem", "utf8"\).*org\.ca/,
    );
    expect(() =>
      createClient({ instanceUrl: server.url, sessionId: "tok", ca: ["-----BEGIN CERTIFICATE-----", "x"] }),
    ).toThrow(/^ca\[1\] must be/);
    const secretKey = "-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END PRIVATE KEY-----";
    let message = "";
    try {
      createClient({ instanceUrl: server.url, sessionId: "tok", ca: secretKey });
    } catch (error) {
      message = String((error as Error).message);
    }
    expect(message).toMatch(/not \d+ characters without/);
    expect(message).not.toContain("SECRETKEYMATERIAL");
    expect(() =>
      createClient({ instanceUrl: server.url, sessionId: "tok", ca: 42 as unknown as string }),
    ).toThrow(/not a number/);
  });

  it("a request without credentials says how to give them", async () => {
    const client = track(createClient({}));
    await expect(client.request({ path: "limits" })).rejects.toThrow(/has no credentials/);
  });
});

describe("client.request", () => {
  it("sends the session, clientId as Sforce-Call-Options, custom headers and a User-Agent", async () => {
    const client = track(
      createClient({
        instanceUrl: server.url,
        sessionId: "SESSION",
        clientId: "My App",
        headers: { "X-Extra": "1" },
      }),
    );
    const response = await client.request<{ path: string }>({ path: "limits", headers: { "X-Call": "2" } });
    expect(response.status).toBe(200);
    expect(response.data.path).toBe("/services/data/v62.0/limits");
    const headers = server.requests[0]!.headers;
    expect(headers.authorization).toBe("Bearer SESSION");
    expect(headers["sforce-call-options"]).toBe("client=My App");
    expect(headers["x-extra"]).toBe("1");
    expect(headers["x-call"]).toBe("2");
    expect(headers["user-agent"]).toMatch(/^sfkit\//);
  });

  it("sends X-SFDC-Session instead of Authorization when asked (Bulk 1.0)", async () => {
    const client = track(createClient({ instanceUrl: server.url, sessionId: "SESSION" }));
    await client.request({ path: "/services/async/62.0/job", auth: "sfdc-session" });
    expect(server.requests[0]!.headers["x-sfdc-session"]).toBe("SESSION");
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("serialises objects as JSON, and sends strings, bytes and form data as given", async () => {
    server.setHandler((req, res) => json(res, 200, { type: req.headers["content-type"], body: req.body }));
    const client = track(createClient({ instanceUrl: server.url, sessionId: "s" }));
    const object = await client.request<{ type: string; body: string }>({
      method: "POST",
      path: "x",
      body: { a: 1 },
    });
    expect(object.data).toEqual({ type: "application/json", body: '{"a":1}' });
    const text = await client.request<{ type: string; body: string }>({
      method: "POST",
      path: "x",
      body: "a,b\n1,2\n",
      headers: { "content-type": "text/csv" },
    });
    expect(text.data).toEqual({ type: "text/csv", body: "a,b\n1,2\n" });
    const form = await client.request<{ type: string; body: string }>({
      method: "POST",
      path: "x",
      body: new URLSearchParams({ a: "x&y" }),
    });
    expect(form.data).toEqual({ type: "application/x-www-form-urlencoded", body: "a=x%26y" });
  });

  it("sends no body at all when there is none (no 'null')", async () => {
    server.setHandler((req, res) =>
      json(res, 200, { length: req.headers["content-length"] ?? null, body: req.body }),
    );
    const client = track(createClient({ instanceUrl: server.url, sessionId: "s" }));
    const response = await client.request<{ body: string }>({ method: "GET", path: "x" });
    expect(response.data.body).toBe("");
  });

  it("reads 204 and empty 200 bodies as null, never as JSON (F19)", async () => {
    const client = track(createClient({ instanceUrl: server.url, sessionId: "s" }));
    server.setHandler((_req, res) => {
      res.writeHead(204, { "content-type": "application/json" });
      res.end();
    });
    expect((await client.request({ method: "PATCH", path: "sobjects/Account/001" })).data).toBeNull();
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/json;charset=UTF-8" });
      res.end();
    });
    const response = await client.request({ method: "PATCH", path: "sobjects/Account/001" });
    expect(response).toMatchObject({ status: 200, data: null });
  });

  it("reads text, XML and binary bodies by Content-Type, and gzip whatever the label says", async () => {
    const client = track(createClient({ instanceUrl: server.url, sessionId: "s" }));
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "text/xml;charset=UTF-8" });
      res.end("<a>1</a>");
    });
    expect((await client.request({ path: "x" })).data).toBe("<a>1</a>");
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.from([1, 2, 3]));
    });
    expect([...((await client.request({ path: "x" })).data as Buffer)]).toEqual([1, 2, 3]);
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(JSON.stringify({ zipped: true })));
    });
    expect((await client.request({ path: "x" })).data).toEqual({ zipped: true });
    // A label that lies: "gzip" on a plain body.
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(JSON.stringify({ plain: true }));
    });
    expect((await client.request({ path: "x" })).data).toEqual({ plain: true });
  });

  it("streams a body when asked, decoding gzip on the way", async () => {
    const client = track(createClient({ instanceUrl: server.url, sessionId: "s" }));
    const big = "row\n".repeat(100_000);
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv", "content-encoding": "gzip" });
      res.end(gzipSync(big));
    });
    const response = await client.request<NodeJS.ReadableStream>({ path: "x", responseType: "stream" });
    let text = "";
    for await (const chunk of response.data) text += chunk.toString();
    expect(text).toBe(big);
  });
});

describe("client.apiUsage (F23)", () => {
  it("is undefined before the first response, without throwing", () => {
    const client = track(createClient({ instanceUrl: server.url, sessionId: "s" }));
    expect(client.apiUsage).toBeUndefined();
  });

  it("holds both api-usage and per-app-api-usage, in any order, also from error responses", async () => {
    const client = track(createClient({ instanceUrl: server.url, sessionId: "s" }));
    server.setHandler((_req, res) =>
      json(
        res,
        200,
        {},
        { "sforce-limit-info": "per-app-api-usage=17/250(appName=sample-connected-app), api-usage=18/5000" },
      ),
    );
    await client.request({ path: "x" });
    expect(client.apiUsage).toEqual({
      used: 18,
      limit: 5000,
      perApp: { used: 17, limit: 250, appName: "sample-connected-app" },
    });
    server.setHandler((_req, res) =>
      json(res, 404, [{ errorCode: "NOT_FOUND", message: "x" }], {
        "sforce-limit-info": "api-usage=19/5000",
      }),
    );
    await expect(client.request({ path: "x" })).rejects.toThrow();
    expect(client.apiUsage).toEqual({ used: 19, limit: 5000 });
  });

  it("keeps the last readable usage when a later header is garbled or missing, read or not in between", async () => {
    const client = track(createClient({ instanceUrl: server.url, sessionId: "s" }));
    const answerWith = (header: string | undefined) =>
      server.setHandler((_req, res) =>
        json(res, 200, {}, header === undefined ? {} : { "sforce-limit-info": header }),
      );
    answerWith("api-usage=20/5000");
    await client.request({ path: "x" });
    answerWith("api-usage=lots");
    await client.request({ path: "x" });
    answerWith(undefined);
    await client.request({ path: "x" });
    expect(client.apiUsage).toEqual({ used: 20, limit: 5000 });
    answerWith("per-app-api-usage=3/250(appName=a)");
    await client.request({ path: "x" });
    expect(client.apiUsage).toEqual({ used: 20, limit: 5000 });
    answerWith("api-usage=21/5000");
    await client.request({ path: "x" });
    answerWith("api-usage=22/5000");
    await client.request({ path: "x" });
    expect(client.apiUsage).toEqual({ used: 22, limit: 5000 });
  });
});

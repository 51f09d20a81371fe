import {
  type AuthStrategy,
  type Client,
  ConfigurationError,
  SalesforceAbortError,
  SalesforceExpiredSession,
  SalesforceGeneralError,
  SalesforceMalformedRequest,
  SalesforceMalformedResponse,
  SalesforceRefusedRequest,
  SalesforceResourceNotFound,
  createClient,
  createSession,
} from "@sfkit/core";
import { type Org, startEmulator } from "@sfkit/emulator";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ApexKeys, apex } from "../src/index.js";

let org: Org;
let token: string;
let sf: Client<ApexKeys>;
const clients: Client[] = [];

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  token = org.sessions.create(org.users[0]!).token;
  sf = createClient({ instanceUrl: org.url, sessionId: token }).extend(apex());
  clients.push(sf);
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await org.close();
});
beforeEach(() => org.apex.clear());

/** The error a call fails with (and a test failure when it succeeds). */
const failure = (call: Promise<unknown>): Promise<any> =>
  call.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );

/** Registers an echo route and returns what it saw. */
function capture(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  mapping: string,
  reply: unknown = null,
) {
  const seen: Array<Parameters<Parameters<Org["apex"]["route"]>[2]>[0]> = [];
  org.apex.route(method, mapping, (request) => {
    seen.push(request);
    return reply;
  });
  return seen;
}

describe("requests: bodies by kind (F20 and its kind)", () => {
  it("F20(a): a GET or DELETE without data sends no body, no Content-Length, no Content-Type", async () => {
    const get = capture("GET", "/Mapping", "OK");
    const del = capture("DELETE", "/Mapping");
    await expect(sf.apexecute("Mapping")).resolves.toBe("OK");
    await expect(sf.apex.delete("Mapping")).resolves.toBeNull();
    for (const request of [get[0]!, del[0]!]) {
      expect(request.rawBody.length).toBe(0);
      expect(request.body).toBeUndefined();
      expect(request.headers["content-length"]).toBeUndefined();
      expect(request.headers["content-type"]).toBeUndefined();
      expect(request.headers["transfer-encoding"]).toBeUndefined();
    }
    expect(get[0]!.method).toBe("GET");
    expect(get[0]!.headers.authorization).toBe(`Bearer ${token}`);
  });

  it("no data on POST, PUT, PATCH (undefined or null) is no body either, never the text null", async () => {
    const seen = capture("POST", "/NoData");
    capture("PUT", "/NoData");
    await sf.apexecute("NoData", { method: "POST" });
    await sf.apexecute("NoData", { method: "POST", data: null });
    await sf.apex.post("NoData");
    for (const request of seen) {
      expect(request.rawBody.toString()).toBe("");
      expect(request.headers["content-type"]).toBeUndefined();
    }
    expect(seen).toHaveLength(3);
  });

  it("F20(b): a string goes out as given with the caller's content type, never JSON-quoted", async () => {
    const seen = capture("POST", "/xmlin");
    await sf.apex.post("/xmlin/", "<a>1</a>", { headers: { "Content-Type": "application/xml" } });
    await sf.apex.post("xmlin", "plain words", { headers: { "content-type": "text/plain; charset=utf-8" } });
    await sf.apex.post("xmlin", '{"pre":"serialised"}');
    expect(seen.map((r) => [r.rawBody.toString(), r.headers["content-type"]])).toEqual([
      ["<a>1</a>", "application/xml"],
      ["plain words", "text/plain; charset=utf-8"],
      ['{"pre":"serialised"}', "application/json"],
    ]);
    expect(seen[2]!.body).toEqual({ pre: "serialised" });
  });

  it("simple-salesforce's positional form: apexecute(action, method, data)", async () => {
    const seen = capture("POST", "/User/Activity", { ok: true });
    await expect(sf.apexecute("User/Activity", "POST", { a: 1 })).resolves.toEqual({ ok: true });
    await expect(sf.apexecute("User/Activity", "post")).resolves.toEqual({ ok: true });
    expect(seen.map((r) => r.rawBody.toString())).toEqual(['{"a":1}', ""]);
  });

  it("objects, arrays, numbers and booleans (0 and false included) are JSON", async () => {
    const seen = capture("POST", "/json");
    const values = [{ Name: "Acme & Co", nested: { list: [1, "é"] } }, [1, 2], 0, 123.5, false, true];
    for (const value of values) await sf.apexecute("json", { method: "POST", data: value });
    expect(seen.map((r) => r.body)).toEqual(values);
    expect(seen.map((r) => r.rawBody.toString())).toEqual(values.map((v) => JSON.stringify(v)));
    expect(new Set(seen.map((r) => r.headers["content-type"]))).toEqual(new Set(["application/json"]));
  });

  it("bytes and streams are sent exactly, with the caller's content type (or octet-stream)", async () => {
    const seen = capture("PUT", "/upload/*");
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await sf.apex.put("upload/file.pdf", bytes, { headers: { "Content-Type": "application/pdf" } });
    await sf.apex.put("upload/raw", new Uint8Array([1, 2, 3]));
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.from(`line ${i}\n`));
    await sf.apex.put("upload/stream.csv", Readable.from(chunks), {
      headers: { "Content-Type": "text/csv" },
    });
    expect(seen[0]!.rawBody.equals(bytes)).toBe(true);
    expect(seen[0]!.headers["content-type"]).toBe("application/pdf");
    expect(seen[0]!.wildcard).toBe("file.pdf");
    expect(seen[1]!.rawBody).toEqual(Buffer.from([1, 2, 3]));
    expect(seen[1]!.headers["content-type"]).toBe("application/octet-stream");
    expect(seen[2]!.body).toBe(Buffer.concat(chunks).toString());
    expect(seen[2]!.headers["transfer-encoding"]).toBe("chunked");
  });

  it("URLSearchParams are form-encoded", async () => {
    const seen = capture("POST", "/form");
    await sf.apex.post("form", new URLSearchParams({ a: "1 2", b: "x&y" }));
    expect(seen[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen[0]!.rawBody.toString()).toBe("a=1+2&b=x%26y");
  });

  it("query params are encoded exactly once (+, &, spaces, date offsets, repeats)", async () => {
    const seen = capture("GET", "/search");
    const params = { q: "a b+c&d=e", when: "2024-03-20T00:00:00+00:00", pct: "100%", tag: ["x", "y"] };
    await sf.apex.get("search", { params });
    expect(seen[0]!.query.get("q")).toBe("a b+c&d=e");
    expect(seen[0]!.query.get("when")).toBe("2024-03-20T00:00:00+00:00");
    expect(seen[0]!.query.get("pct")).toBe("100%");
    expect(seen[0]!.query.getAll("tag")).toEqual(["x", "y"]);
    expect(await sf.apex.url("search", { q: "a b+c" })).toBe(
      `${org.url}/services/apexrest/search?q=a%20b%2Bc`,
    );
  });

  it("a query string in the path is kept, and params are added to it", async () => {
    const seen = capture("GET", "/search");
    await sf.apexecute("search?fixed=1", { params: { more: "a b" } });
    expect(seen[0]!.params).toEqual({ fixed: "1", more: "a b" });
  });

  it("path segments given as an array are encoded once each (F04's kind)", async () => {
    const seen = capture("GET", "/Account/:id/contacts");
    await sf.apex.get(["Account", "a/b c+d?", "contacts"]);
    expect(seen[0]!.pathParams).toEqual({ id: "a/b c+d?" });
  });

  it("the caller's headers, method names in any case, and a namespace", async () => {
    const seen = capture("PATCH", "/acme/Thing");
    const namespaced = sf.extend(apex({ namespace: "acme" }));
    // the same plugin name: extend() keeps the first apex(); use a fresh client for the namespace
    expect(namespaced).toBe(sf);
    const client = createClient({ instanceUrl: org.url, sessionId: token }).extend(
      apex({ namespace: "acme" }),
    );
    clients.push(client);
    await client.apexecute("Thing", { method: "patch", data: { a: 1 }, headers: { "X-Trace": "t-1" } });
    expect(seen[0]).toMatchObject({ method: "PATCH", path: "/acme/Thing", headers: { "x-trace": "t-1" } });
  });
});

describe("responses by kind", () => {
  it("JSON objects and arrays, typed by the caller", async () => {
    interface Account {
      Id: string;
      Name: string;
    }
    org.apex.route("GET", "/accounts", () => [{ Id: "001XX0000000001AAA", Name: "Acme" }]);
    const accounts = await sf.apex.get<Account[]>("accounts");
    expect(accounts[0]?.Name).toBe("Acme");
  });

  it("bare JSON values: numbers, strings, booleans", async () => {
    org.apex.route("GET", "/number", () => 123);
    org.apex.route("GET", "/string", () => "text");
    org.apex.route("GET", "/bool", () => true);
    await expect(sf.apex.get("number")).resolves.toBe(123);
    await expect(sf.apex.get("string")).resolves.toBe("text");
    await expect(sf.apex.get("bool")).resolves.toBe(true);
  });

  it("plain text, also when it is labelled JSON but is not (simple-salesforce's text fallback)", async () => {
    org.apex.route("GET", "/text", () => ({ headers: { "Content-Type": "text/plain" }, body: "123" }));
    org.apex.route("GET", "/ping", () => ({
      headers: { "Content-Type": "application/json" },
      body: Buffer.from("OK"),
    }));
    await expect(sf.apex.get("text")).resolves.toBe("123");
    await expect(sf.apex.get("ping")).resolves.toBe("OK");
    await expect(sf.apex.get("ping", { responseType: "json" })).rejects.toBeInstanceOf(
      SalesforceMalformedResponse,
    );
  });

  it("empty bodies are null (void methods, 204), never a parse error (F19's kind)", async () => {
    org.apex.route("POST", "/void", () => undefined);
    org.apex.route("DELETE", "/void", () => ({ status: 204 }));
    await expect(sf.apex.post("void", { a: 1 })).resolves.toBeNull();
    await expect(sf.apex.delete("void")).resolves.toBeNull();
  });

  it("binary bodies as Buffers, and any body as text, bytes or a stream when asked", async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe]);
    org.apex.route("GET", "/report", () => ({ headers: { "Content-Type": "application/pdf" }, body: pdf }));
    org.apex.route("GET", "/json", () => ({ a: 1 }));
    const auto = await sf.apex.get<Buffer>("report");
    expect(Buffer.isBuffer(auto) && auto.equals(pdf)).toBe(true);
    const asBuffer = await sf.apex.get<Buffer>("json", { responseType: "buffer" });
    expect(asBuffer.toString()).toBe('{"a":1}');
    await expect(sf.apex.get("json", { responseType: "text" })).resolves.toBe('{"a":1}');
    const stream = await sf.apex.get<Readable>("report", { responseType: "stream" });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(pdf)).toBe(true);
  });

  it("large responses come back gzip-decoded", async () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({ Id: `row-${i}`, Name: "x".repeat(20) }));
    org.apex.route("GET", "/big", () => rows);
    await expect(sf.apex.get("big")).resolves.toEqual(rows);
  });

  it("sf.apex.request gives status and headers, and the API usage is updated (F23's kind)", async () => {
    org.apex.route("POST", "/things", (req) => ({ status: 201, headers: { "X-Id": "42" }, body: req.body }));
    const response = await sf.apex.request<{ a: number }>({ path: "things", method: "POST", data: { a: 1 } });
    expect(response).toMatchObject({ status: 201, data: { a: 1 }, headers: { "x-id": "42" } });
    expect(response.url).toBe(`${org.url}/services/apexrest/things`);
    expect(sf.apiUsage?.limit).toBe(15000);
  });

  it("jsforce-style get(path, body, options) and apexecute with a segments array", async () => {
    org.apex.route("GET", "/legacy", (req) => req.params);
    const loose = sf.apex.get as (...args: unknown[]) => Promise<unknown>;
    await expect(loose("legacy", undefined, { params: { a: "1" } })).resolves.toEqual({ a: "1" });
    await expect(sf.apexecute(["legacy"], { params: { b: "2" } })).resolves.toEqual({ b: "2" });
  });
});

describe("errors", () => {
  it("an uncaught Apex exception (500 APEX_ERROR) is a SalesforceGeneralError with the Apex message", async () => {
    org.apex.route("GET", "/boom", () => {
      throw new TypeError("Attempt to de-reference a null object");
    });
    const error = await failure(sf.apex.get("boom"));
    expect(error).toBeInstanceOf(SalesforceGeneralError);
    expect(error).toMatchObject({ status: 500, errorCode: "APEX_ERROR", method: "GET" });
    expect(error.message).toContain("Attempt to de-reference a null object");
    expect(error.message).toContain("/services/apexrest/boom");
    expect(error.content[0].errorCode).toBe("APEX_ERROR");
  });

  it("a plain-text 500 is a SalesforceGeneralError with the text, not a parser error", async () => {
    org.apex.route("POST", "/text500", () => ({
      status: 500,
      headers: { "Content-Type": "text/plain" },
      body: "upstream connect error or disconnect/reset before headers",
    }));
    const error = await failure(sf.apex.post("text500", { a: 1 }));
    expect(error).toBeInstanceOf(SalesforceGeneralError);
    expect(error.status).toBe(500);
    expect(error.message).toContain("upstream connect error");
  });

  it("an unknown URL is Salesforce's NOT_FOUND, a missing method 405", async () => {
    org.apex.route("GET", "/only-get", () => 1);
    const missing = await failure(sf.apexecute("Missing/x"));
    expect(missing).toBeInstanceOf(SalesforceResourceNotFound);
    expect(missing).toMatchObject({ errorCode: "NOT_FOUND" });
    expect(missing.message).toContain("Could not find a match for URL /Missing/x");
    const wrong = await failure(sf.apex.put("only-get", { a: 1 }));
    expect(wrong).toBeInstanceOf(SalesforceGeneralError);
    expect(wrong).toMatchObject({ status: 405, errorCode: "METHOD_NOT_ALLOWED" });
  });

  it("errors the class sets itself map by status", async () => {
    org.apex.route("POST", "/validate", () => ({
      status: 400,
      body: [{ errorCode: "INVALID_INPUT", message: "Name is required" }],
    }));
    org.apex.route("POST", "/forbidden", () => ({
      status: 403,
      body: [{ errorCode: "INSUFFICIENT_ACCESS", message: "no" }],
    }));
    await expect(sf.apex.post("validate", {})).rejects.toBeInstanceOf(SalesforceMalformedRequest);
    await expect(sf.apex.post("forbidden", {})).rejects.toBeInstanceOf(SalesforceRefusedRequest);
  });

  it("requests need a valid session; the token never shows in the error", async () => {
    org.apex.route("GET", "/secure", () => 1);
    const canary = "00Dcanary!SECRET_TOKEN_VALUE";
    const client = createClient({ instanceUrl: org.url, sessionId: canary }).extend(apex());
    clients.push(client);
    const error = await failure(client.apex.get("secure"));
    expect(error).toBeInstanceOf(SalesforceExpiredSession);
    expect(error.errorCode).toBe("INVALID_SESSION_ID");
    expect(`${error.message} ${JSON.stringify(error)} ${error.stack}`).not.toContain("SECRET_TOKEN");
    expect(org.apex.requests).toHaveLength(0); // refused before any Apex ran
  });

  it("an expired session is refreshed once by the client's strategy and the Apex call re-sent", async () => {
    const seen = capture("POST", "/refresh-me", { ok: true });
    let logins = 0;
    const strategy: AuthStrategy = {
      kind: "test",
      login: async () => {
        logins++;
        return createSession({ accessToken: org.sessions.create(org.users[0]!).token, instanceUrl: org.url });
      },
      refresh: async () => {
        logins++;
        return createSession({ accessToken: org.sessions.create(org.users[0]!).token, instanceUrl: org.url });
      },
    };
    const client = createClient({ auth: strategy }).extend(apex());
    clients.push(client);
    org.faults.next({ path: "/services/apexrest/refresh-me", expireSession: true });
    await expect(client.apex.post("refresh-me", { a: 1 })).resolves.toEqual({ ok: true });
    expect(logins).toBe(2);
    expect(seen.map((r) => r.rawBody.toString())).toEqual(['{"a":1}']);
  });

  it("bad input is a ConfigurationError and nothing is sent", async () => {
    org.apex.route("GET", "/any/*", () => 1);
    await expect(sf.apexecute("any", { method: "GET", data: { a: 1 } })).rejects.toThrow(
      /GET request cannot carry a body/,
    );
    await expect(
      sf.apex.post("any", { a: 1 }, { headers: { "Content-Type": "application/xml" } }),
    ).rejects.toBeInstanceOf(ConfigurationError);
    await expect(sf.apex.get("any/../../data/v62.0/sobjects")).rejects.toBeInstanceOf(ConfigurationError);
    await expect(sf.apexecute("any", { method: "TRACE" as "GET" })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    await expect(sf.apexecute("")).rejects.toBeInstanceOf(ConfigurationError);
    await expect(sf.apex.get("any", { responseType: "xml" as "text" })).rejects.toThrow(/responseType "xml"/);
    expect(org.apex.requests).toHaveLength(0);
  });

  it("an aborted call rejects with SalesforceAbortError", async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    org.apex.route("GET", "/slow", async () => {
      entered();
      await released;
      return 1;
    });
    const controller = new AbortController();
    const pending = sf.apex.get("slow", { signal: controller.signal });
    await inHandler;
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(SalesforceAbortError);
    release();
  });
});

describe("misspelt options", () => {
  it("are a ConfigurationError naming the option meant, before the request", async () => {
    const before = org.stats.requests;
    const body = await failure(sf.apexecute("things", { method: "POST", body: { a: 1 } } as never));
    expect(body).toBeInstanceOf(ConfigurationError);
    expect(body.message).toBe('An Apex call has no option "body": did you mean "data"?');
    const timeout = await failure(sf.apex.get("things", { timout: 5 } as never));
    expect(timeout.message).toContain('did you mean "timeout"?');
    const params = await failure(sf.apex.post("things", { a: 1 }, { param: { q: "x" } } as never));
    expect(params.message).toContain('did you mean "params"?');
    expect(org.stats.requests).toBe(before);
    expect(() => apex({ nameSpace: "acme" } as never)).toThrow(
      'apex() has no option "nameSpace": did you mean "namespace"?',
    );
  });
});

import { describe, expect, it } from "vitest";
import { type ApexIncoming, createApexRoutes } from "../src/apex/apex-routes.js";
import { compileMapping, pathSegments } from "../src/apex/url-mapping.js";

const incoming = (method: string, path: string, extra: Partial<ApexIncoming> = {}): ApexIncoming => {
  const [raw = "", search = ""] = path.split("?");
  return {
    method,
    path: raw,
    query: new URLSearchParams(search),
    headers: {},
    body: Buffer.alloc(0),
    ...extra,
  };
};

const json = (body: Buffer) => JSON.parse(body.toString("utf8"));

describe("Apex urlMapping rules", () => {
  it("rejects mappings Salesforce would not save", () => {
    expect(() => compileMapping("Account")).toThrow(/forward slash/);
    expect(() => compileMapping("/Account*")).toThrow(/preceded by "\/"/);
    expect(() => compileMapping("/Account/*x")).toThrow(/preceded by "\/"/);
    expect(() => compileMapping(`/${"a".repeat(255)}`)).toThrow(/255/);
    expect(() => compileMapping("/Account/*/contacts")).not.toThrow();
  });

  it("matches case-sensitively, with a trailing * matching zero or more segments", () => {
    const mapping = compileMapping("/Account/*");
    expect(mapping.match(pathSegments("/Account"))?.wildcard).toBe("");
    expect(mapping.match(pathSegments("/Account/"))?.wildcard).toBe("");
    expect(mapping.match(pathSegments("/Account/001"))?.wildcard).toBe("001");
    expect(mapping.match(pathSegments("/Account/001/contacts"))?.wildcard).toBe("001/contacts");
    expect(mapping.match(pathSegments("/account/001"))).toBeUndefined();
    expect(mapping.match(pathSegments("/Accounts/001"))).toBeUndefined();
  });

  it("supports a * in the middle and :name segments, decoding each segment once", () => {
    const middle = compileMapping("/Account/*/contacts");
    expect(middle.match(pathSegments("/Account/001/contacts"))?.wildcard).toBe("001");
    expect(middle.match(pathSegments("/Account/contacts"))).toBeUndefined();
    expect(compileMapping("/a/*/b/*").match(pathSegments("/a/1/2/b/3/4"))).toMatchObject({
      wildcards: ["1/2", "3/4"],
      wildcard: "3/4",
    });
    const named = compileMapping("/Account/:id/contacts/:contactId");
    expect(named.match(pathSegments("/Account/a%2Fb%20c/contacts/003"))?.pathParams).toEqual({
      id: "a/b c",
      contactId: "003",
    });
    expect(named.match(pathSegments("/Account//contacts/003"))).toBeUndefined();
  });
});

describe("org.apex routes", () => {
  it("prefers an exact match, then the longest wildcard mapping", async () => {
    const apex = createApexRoutes();
    apex.route("GET", "/*", () => "root");
    apex.route("GET", "/Account/*", () => "any account");
    apex.route("GET", "/Account/special/*", () => "special");
    apex.route("GET", "/Account/exact", () => "exact");
    const body = async (path: string) => json((await apex.dispatch(incoming("GET", path))).body);
    expect(await body("/Account/exact")).toBe("exact");
    expect(await body("/Account/special/1")).toBe("special");
    expect(await body("/Account/1")).toBe("any account");
    expect(await body("/Other")).toBe("root");
  });

  it("answers an unknown URL with Salesforce's 404 and a method the resource lacks with 405", async () => {
    const apex = createApexRoutes();
    apex.route("GET", "/Known", () => ({ ok: true }));
    apex.route("POST", "/Known", () => ({ ok: true }));
    const missing = await apex.dispatch(incoming("GET", "/Missing/x"));
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toBe(
      '[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL /Missing/x"}]',
    );
    const wrong = await apex.dispatch(incoming("PUT", "/Known"));
    expect(wrong.status).toBe(405);
    expect(json(wrong.body)).toEqual([
      { errorCode: "METHOD_NOT_ALLOWED", message: "HTTP Method 'PUT' not allowed. Allowed are GET,POST" },
    ]);
  });

  it("hands the handler method, path, params, headers and the body by content type", async () => {
    const apex = createApexRoutes();
    const seen: unknown[] = [];
    apex.route("POST", "/Echo/:id", (request) => {
      seen.push(request);
      return null;
    });
    const send = (body: string | Buffer, type?: string) =>
      apex.dispatch(
        incoming("POST", "/Echo/a%20b?x=1&y=%2B", {
          headers: { ...(type ? { "Content-Type": type } : {}), "X-Custom": "v" },
          body: Buffer.from(body),
        }),
      );
    await send('{"a":1}', "application/json");
    await send("123", "application/json; charset=utf-8");
    await send("<a>1</a>", "application/xml");
    await send("not json", "application/json");
    await send(Buffer.from([0, 1, 2, 255]), "application/octet-stream");
    await send('"bare"');
    expect(seen.map((r) => (r as { body: unknown }).body)).toEqual([
      { a: 1 },
      123,
      "<a>1</a>",
      "not json",
      Buffer.from([0, 1, 2, 255]),
      "bare",
    ]);
    expect(seen[0]).toMatchObject({
      method: "POST",
      path: "/Echo/a b",
      mapping: "/Echo/:id",
      params: { x: "1", y: "+" },
      pathParams: { id: "a b" },
      headers: { "content-type": "application/json", "x-custom": "v" },
    });
  });

  it("turns return values into responses as Apex does", async () => {
    const apex = createApexRoutes();
    apex.route("GET", "/value", () => ({ name: "Acme" }));
    apex.route("GET", "/number", () => 123);
    apex.route("GET", "/string", () => "text");
    apex.route("GET", "/void", () => undefined);
    apex.route("GET", "/shaped", async () => ({ status: 201, headers: { "X-Id": "7" }, body: [1] }));
    apex.route("GET", "/plain", () => ({ headers: { "Content-Type": "text/plain" }, body: "OK" }));
    apex.route("GET", "/bytes", () => ({ body: Buffer.from([1, 2, 3]) }));
    const get = (path: string) => apex.dispatch(incoming("GET", path));
    expect((await get("/value")).body.toString()).toBe('{"name":"Acme"}');
    expect((await get("/value")).headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect((await get("/number")).body.toString()).toBe("123");
    expect((await get("/string")).body.toString()).toBe('"text"');
    expect(await get("/void")).toEqual({ status: 200, headers: {}, body: Buffer.alloc(0) });
    expect(await get("/shaped")).toMatchObject({ status: 201, headers: { "x-id": "7" } });
    expect((await get("/shaped")).body.toString()).toBe("[1]");
    expect((await get("/plain")).body.toString()).toBe("OK");
    expect(await get("/bytes")).toMatchObject({
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.from([1, 2, 3]),
    });
  });

  it("answers a throwing handler with 500 APEX_ERROR, and an error carrying a status with that", async () => {
    const apex = createApexRoutes();
    apex.route("GET", "/boom", () => {
      throw new TypeError("Attempt to de-reference a null object");
    });
    apex.route("GET", "/teapot", () => {
      throw Object.assign(new Error("no"), {
        status: 418,
        body: [{ errorCode: "TEAPOT", message: "short" }],
      });
    });
    const boom = await apex.dispatch(incoming("GET", "/boom"));
    expect(boom.status).toBe(500);
    const [item] = json(boom.body);
    expect(Object.keys(item)).toEqual(["errorCode", "message"]);
    expect(item.errorCode).toBe("APEX_ERROR");
    expect(item.message).toMatch(
      /^System\.TypeError: Attempt to de-reference a null object\n\nClass\.boom\.doGet/,
    );
    const teapot = await apex.dispatch(incoming("GET", "/teapot"));
    expect(teapot.status).toBe(418);
    expect(json(teapot.body)).toEqual([{ errorCode: "TEAPOT", message: "short" }]);
  });

  it("removes routes, records requests without their tokens, and clears", async () => {
    const apex = createApexRoutes();
    const remove = apex.route("get", "/Temp", () => 1);
    expect((await apex.dispatch(incoming("GET", "/Temp"))).status).toBe(200);
    remove();
    expect(
      (
        await apex.dispatch(
          incoming("GET", "/Temp", { headers: { authorization: "Bearer 00Dcanary!SECRET" } }),
        )
      ).status,
    ).toBe(404);
    expect(apex.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", "/Temp", 200],
      ["GET", "/Temp", 404],
    ]);
    expect(apex.requests[1]?.headers.authorization).toBe("Bearer [redacted]");
    expect(JSON.stringify(apex.requests)).not.toContain("SECRET");
    apex.clear();
    expect(apex.requests).toEqual([]);
    expect(() => apex.route("TRACE" as "GET", "/x", () => 1)).toThrow(/not GET, POST/);
  });
});

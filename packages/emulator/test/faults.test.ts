import { request as httpRequest, Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call } from "./helpers.js";

let org: Org;
let token: string;
const v = "/services/data/v64.0";
beforeAll(async () => {
  org = await startEmulator();
  token = await adminToken(org);
});
afterAll(async () => {
  await org.close();
});

describe("faults.next", () => {
  it("answers a status and body for the matching request only, `times` times", async () => {
    org.faults.next({
      path: /query/,
      status: 503,
      body: [{ message: "down", errorCode: "SERVER_UNAVAILABLE" }],
      times: 2,
    });
    expect((await call(org, `${v}/limits`, { token })).status).toBe(200);
    const a = await call(org, `${v}/query?q=SELECT+Id+FROM+Account`, { token });
    expect(a.status).toBe(503);
    expect(a.json[0].errorCode).toBe("SERVER_UNAVAILABLE");
    expect((await call(org, `${v}/query?q=SELECT+Id+FROM+Account`, { token })).status).toBe(503);
    expect((await call(org, `${v}/query?q=SELECT+Id+FROM+Account`, { token })).status).toBe(200);
  });

  it("matches the method and a string path, with headers and content type", async () => {
    org.faults.next({
      method: "POST",
      path: "/sobjects/Account",
      status: 429,
      body: "slow down",
      contentType: "text/plain",
      headers: { "Retry-After": "2" },
    });
    expect((await call(org, `${v}/sobjects/Account/describe`, { token })).status).toBe(200);
    const r = await call(org, `${v}/sobjects/Account`, { method: "POST", token, body: { Name: "x" } });
    expect(r.status).toBe(429);
    expect(r.text).toBe("slow down");
    expect(r.headers.get("retry-after")).toBe("2");
    expect(r.headers.get("content-type")).toBe("text/plain");
  });

  it("serves the maintenance HTML page", async () => {
    org.faults.next({ html: true });
    const r = await call(org, `${v}/limits`, { token });
    expect(r.status).toBe(503);
    expect(r.headers.get("content-type")).toMatch(/^text\/html/);
    expect(r.text).toContain("<title>Salesforce - Scheduled Maintenance</title>");
  });

  it("expires the session of the request", async () => {
    const own = await adminToken(org);
    org.faults.next({ expireSession: true });
    const r = await call(org, `${v}/limits`, { token: own });
    expect(r.status).toBe(401);
    expect(r.json[0].errorCode).toBe("INVALID_SESSION_ID");
    expect((await call(org, `${v}/limits`, { token })).status).toBe(200);
  });

  it("drops the connection before the response", async () => {
    org.faults.next({ drop: "before-response" });
    await expect(
      fetch(`${org.url}${v}/limits`, { headers: { Authorization: `Bearer ${token}` } }),
    ).rejects.toThrow();
    expect((await call(org, `${v}/limits`, { token })).status).toBe(200);
  });

  it("drops the connection in the middle of the body", async () => {
    org.faults.next({ drop: "mid-body" });
    const res = await fetch(`${org.url}${v}/sobjects/Account/describe`, {
      headers: { Authorization: `Bearer ${token}`, "Accept-Encoding": "identity" },
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it("drops the connection after the headers of a bodiless answer (Bulk 2.0's 201 to an upload), which promise a byte", async () => {
    const job = await call(org, `${v}/jobs/ingest`, {
      method: "POST",
      token,
      body: { object: "Contact", operation: "insert", lineEnding: "LF" },
    });
    expect(job.status).toBe(200);
    org.faults.next({ method: "PUT", path: /\/batches$/, drop: "mid-body" });
    const res = await fetch(`${org.url}${v}/jobs/ingest/${job.json.id}/batches`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv" },
      body: "LastName\nOne\n",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-length")).toBe("1");
    await expect(res.text()).rejects.toThrow();
  });

  it("delays, then answers normally", async () => {
    org.faults.next({ delayMs: 50 });
    const t0 = performance.now();
    const r = await call(org, `${v}/limits`, { token });
    expect(r.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });

  it("clear() removes pending rules", async () => {
    org.faults.next({ status: 500, times: 5 });
    expect(org.faults.pending).toBe(1);
    org.faults.clear();
    expect((await call(org, `${v}/limits`, { token })).status).toBe(200);
  });
});

describe("stats and connections", () => {
  it("counts requests and TCP connections (keep-alive reuses one)", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          `${org.url}${v}/limits`,
          { agent, headers: { Authorization: `Bearer ${token}` } },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end();
      });
    const before = org.stats;
    for (let i = 0; i < 5; i++) expect(await get()).toBe(200);
    const after = org.stats;
    expect(after.requests - before.requests).toBe(5);
    expect(after.connections - before.connections).toBe(1);
    agent.destroy();
  });
});

describe("compression", () => {
  it("gzips large responses when asked, and accepts gzip request bodies", async () => {
    const { request } = await import("node:http");
    const { gzipSync, gunzipSync } = await import("node:zlib");
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      request(
        `${org.url}${v}/sobjects/Account/describe`,
        { headers: { Authorization: `Bearer ${token}`, "Accept-Encoding": "gzip" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () =>
            resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }),
          );
        },
      )
        .on("error", reject)
        .end();
    });
    expect(raw.encoding).toBe("gzip");
    expect(JSON.parse(gunzipSync(raw.body).toString()).name).toBe("Account");
    const created = await fetch(`${org.url}${v}/sobjects/Account`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
      },
      body: gzipSync(JSON.stringify({ Name: "Zipped" })),
    });
    expect(created.status).toBe(201);
  });
});

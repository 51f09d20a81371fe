import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";

let org: Org;
let token: string;

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  token = org.sessions.create(org.users[0]!).token;
  org.apex.route("GET", "/Mapping", () => "OK");
});
afterAll(async () => {
  await org.close();
});

/** A raw request (fetch refuses a GET with a body, which is the point here). */
function raw(
  method: string,
  body: string | undefined,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${org.url}/services/apexrest/Mapping`,
      { method, headers: { Authorization: `Bearer ${token}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"]),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("Apex REST behind Salesforce's edge (F20 (a))", () => {
  it("a GET carrying the body `null` gets 411 and the HTML maintenance page; Apex never sees it", async () => {
    const before = org.apex.requests.length;
    const answer = await raw("GET", "null", { "Content-Type": "application/json", "Content-Length": "4" });
    expect(answer.status).toBe(411);
    expect(answer.type).toMatch(/^text\/html/);
    expect(answer.text).toContain("down for maintenance");
    expect(org.apex.requests.length).toBe(before);
  });

  it("a chunked GET body is refused the same way", async () => {
    const answer = await raw("GET", "null", { "Transfer-Encoding": "chunked" });
    expect(answer.status).toBe(411);
  });

  it("a GET without a body reaches the class", async () => {
    const answer = await raw("GET", undefined);
    expect(answer).toMatchObject({ status: 200, text: '"OK"' });
  });
});

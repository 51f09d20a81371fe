import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, createClient } from "../src/index.js";
import { json, startTestServer } from "./helpers/test-server.js";

let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer((req, res) => json(res, 200, { path: req.url }));
});
afterAll(async () => {
  await server.close();
});

// F20's kind: a body on a GET is refused by fetch (it surfaced as a "network error") and, sent
// by a lower-level client, by Salesforce's edge with a 411 HTML page. Say so before sending.
describe("a GET or HEAD with a body", () => {
  it.each(["GET", "HEAD", "get"])(
    "%s: a ConfigurationError that says to use query, and nothing is sent",
    async (method) => {
      const client = createClient({ instanceUrl: server.url, sessionId: "00D!session", retry: false });
      try {
        for (const body of ["null", { a: 1 }, new Uint8Array([1])]) {
          const error = await client
            .request({ method: method as "GET", path: "/services/apexrest/Mapping", body })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ConfigurationError);
          expect((error as Error).message).toMatch(/carries no body: put the values in query/);
        }
        expect(server.requests).toHaveLength(0);
        // No data at all is no body: the request goes out.
        await expect(client.request({ method: method as "GET", path: "limits" })).resolves.toMatchObject({
          status: 200,
        });
        expect(server.requests).toHaveLength(1);
      } finally {
        server.requests.length = 0;
        await client.close();
      }
    },
  );
});

import { type Client, createClient } from "@sfkit/core";
import { type Org, startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApexKeys, apex } from "../src/index.js";

let org: Org;
let sf: Client<ApexKeys>;

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  sf = createClient({ instanceUrl: org.url, sessionId: org.sessions.create(org.users[0]!).token }).extend(
    apex(),
  );
});
afterAll(async () => {
  await sf.close();
  await org.close();
});

describe("sf.apex.get / post / put / patch / delete", () => {
  it("each sends its own method to the mapped class, with the body and params it was given", async () => {
    const seen: Array<{ method: string; path: string; params: unknown; body: unknown }> = [];
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
      org.apex.route(method, "/Verbs/*", (request) => {
        seen.push({ method: request.method, path: request.path, params: request.params, body: request.body });
        return { answered: request.method };
      });
    }
    const params = { params: { q: "a b" } };
    expect(await sf.apex.get("Verbs/1", params)).toEqual({ answered: "GET" });
    expect(await sf.apex.post("Verbs/2", { n: 2 })).toEqual({ answered: "POST" });
    expect(await sf.apex.put("Verbs/3", { n: 3 })).toEqual({ answered: "PUT" });
    expect(await sf.apex.patch("Verbs/4", { n: 4 })).toEqual({ answered: "PATCH" });
    expect(await sf.apex.delete("Verbs/5", params)).toEqual({ answered: "DELETE" });
    expect(seen.map(({ method, path }) => `${method} ${path}`)).toEqual([
      "GET /Verbs/1",
      "POST /Verbs/2",
      "PUT /Verbs/3",
      "PATCH /Verbs/4",
      "DELETE /Verbs/5",
    ]);
    expect(seen.map((s) => s.body)).toEqual([undefined, { n: 2 }, { n: 3 }, { n: 4 }, undefined]);
    expect(seen[0]!.params).toMatchObject({ q: "a b" });
    expect(seen[4]!.params).toMatchObject({ q: "a b" });
  });
});

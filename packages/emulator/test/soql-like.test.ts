// LIKE literals read their escapes once: \% and \_ match themselves, \\ is one backslash.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call, q } from "./helpers.js";

let org: Org;
let token: string;

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  token = await adminToken(org);
  for (const Name of ["a\\%b", "a\\xb", "a%b", "axb", "a\\", "tab\there"]) org.insert("Account", { Name });
});
afterAll(async () => {
  await org.close();
});

async function like(pattern: string): Promise<string[]> {
  const r = await call(
    org,
    `/services/data/v62.0/query?q=${q(`SELECT Name FROM Account WHERE Name LIKE '${pattern}' ORDER BY Name`)}`,
    { token },
  );
  expect(r.status).toBe(200);
  return r.json.records.map((x: { Name: string }) => x.Name).sort();
}

describe("LIKE escapes", () => {
  it("an escaped backslash followed by an escaped percent matches backslash-percent only", async () => {
    expect(await like("a\\\\\\%b")).toEqual(["a\\%b"]);
  });
  it("an escaped backslash followed by a wildcard keeps the wildcard", async () => {
    expect(await like("a\\\\%")).toEqual(["a\\", "a\\%b", "a\\xb"]);
  });
  it("escaped wildcards match themselves; bare ones are wildcards; \\t is a tab", async () => {
    expect(await like("a\\%b")).toEqual(["a%b"]);
    expect(await like("a_b")).toEqual(["a%b", "axb"]);
    expect(await like("tab\\there")).toEqual(["tab\there"]);
  });
});

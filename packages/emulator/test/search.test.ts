import jsforce from "jsforce";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call, q } from "./helpers.js";

let org: Org;
let token: string;
const v = "/services/data/v64.0";
beforeAll(async () => {
  org = await startEmulator();
  token = await adminToken(org);
  const acme = org.insert("Account", { Name: "Jones & Co", Phone: "(415) 555-0100", Industry: "Energy" });
  org.insert("Account", { Name: "Acme Corp", Description: "Friends of Jones" });
  org.insert("Contact", {
    LastName: "Jones",
    FirstName: "Rose",
    Email: "rose.jones@example.com",
    AccountId: acme,
  });
  org.insert("Contact", { LastName: "Smith", FirstName: "Jo", Email: "jo@smith.test" });
  org.insert("Lead", { LastName: "Jonesy", Company: "Leadco", Status: "Open - Not Contacted" });
});
afterAll(async () => {
  await org.close();
});

const search = (sosl: string, version = v) => call(org, `${version}/search?q=${q(sosl)}`, { token });
const names = (r: { json: any }) => r.json.searchRecords.map((x: any) => x.Name ?? x.LastName);

describe("SOSL", () => {
  it("finds records in all fields, grouped in RETURNING order", async () => {
    const r = await search(
      "FIND {Jones} IN ALL FIELDS RETURNING Contact(LastName, Email), Account(Name ORDER BY Name)",
    );
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(["searchRecords"]);
    expect(r.json.searchRecords.map((x: any) => x.attributes.type)).toEqual([
      "Contact",
      "Account",
      "Account",
    ]);
    expect(r.json.searchRecords[0]).toEqual({
      attributes: {
        type: "Contact",
        url: expect.stringMatching(/^\/services\/data\/v64\.0\/sobjects\/Contact\/003/),
      },
      LastName: "Jones",
      Email: "rose.jones@example.com",
    });
    expect(names(r).slice(1)).toEqual(["Acme Corp", "Jones & Co"]);
  });

  it("limits the scope to name, email or phone fields", async () => {
    expect(names(await search("FIND {Jones} IN NAME FIELDS RETURNING Account(Name)"))).toEqual([
      "Jones & Co",
    ]);
    expect(names(await search("FIND {smith.test} IN EMAIL FIELDS RETURNING Contact(LastName)"))).toEqual([
      "Smith",
    ]);
    expect(names(await search("FIND {4155550100} IN PHONE FIELDS RETURNING Account(Name)"))).toEqual([
      "Jones & Co",
    ]);
  });

  it("handles wildcards, escapes of reserved characters, WHERE and LIMIT", async () => {
    expect(names(await search("FIND {Jone*} RETURNING Lead(LastName), Contact(LastName)"))).toEqual([
      "Jonesy",
      "Jones",
    ]);
    expect(names(await search("FIND {Jones \\& Co} IN NAME FIELDS RETURNING Account(Name)"))).toEqual([
      "Jones & Co",
    ]);
    expect(names(await search("FIND {Jones} RETURNING Account(Name WHERE Industry = 'Energy')"))).toEqual([
      "Jones & Co",
    ]);
    expect(
      (await search("FIND {Jones} RETURNING Account(Name), Contact(LastName) LIMIT 1")).json.searchRecords,
    ).toHaveLength(1);
    expect((await search("FIND {Jones} RETURNING Account(Name LIMIT 1)")).json.searchRecords).toHaveLength(1);
  });

  it("returns an empty list when nothing matches, and Ids without RETURNING", async () => {
    expect((await search("FIND {zzzyx}")).json).toEqual({ searchRecords: [] });
    const ids = await search("FIND {Leadco}");
    expect(ids.json.searchRecords).toEqual([
      { attributes: expect.objectContaining({ type: "Lead" }), Id: expect.any(String) },
    ]);
  });

  it("uses the bare-array shape up to v35.0", async () => {
    const r = await search("FIND {Leadco} RETURNING Lead(LastName)", "/services/data/v35.0");
    expect(Array.isArray(r.json)).toBe(true);
  });

  it("rejects a term without braces", async () => {
    const r = await search("FIND Jones");
    expect(r.status).toBe(400);
    expect(r.json[0]).toEqual({
      message: "No search term found. The search term must be enclosed in braces.",
      errorCode: "MALFORMED_SEARCH",
    });
  });

  it("supports the parameterized search", async () => {
    const g = await call(
      org,
      `${v}/parameterizedSearch?q=Jones&sobject=Account&Account.fields=Id,Name&Account.limit=10`,
      { token },
    );
    expect(g.json.searchRecords.map((x: any) => x.Name).sort()).toEqual(["Acme Corp", "Jones & Co"]);
    const p = await call(org, `${v}/parameterizedSearch`, {
      method: "POST",
      token,
      body: {
        q: "Jones & Co",
        in: "NAME",
        fields: ["Id", "Name"],
        sobjects: [{ name: "Account", limit: 5 }],
      },
    });
    expect(p.json.searchRecords.map((x: any) => x.Name)).toEqual(["Jones & Co"]);
  });

  it("works from jsforce's search()", async () => {
    const conn = new jsforce.Connection({ instanceUrl: org.url, accessToken: token, version: "64.0" });
    const res = await conn.search("FIND {Jones} IN NAME FIELDS RETURNING Contact(Id, LastName)");
    expect(res.searchRecords.map((r: any) => r.LastName)).toEqual(["Jones"]);
  });
});

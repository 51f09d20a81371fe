import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call, q, soapLogin } from "./helpers.js";

let org: Org;
let token: string;
const v = "/services/data/v64.0";
beforeAll(async () => {
  org = await startEmulator({
    schema: [
      {
        name: "Gadget__c",
        fields: [
          { name: "Colors__c", type: "multipicklist", picklist: ["Red", "Green", "Blue"] },
          { name: "Size__c", type: "int" },
          { name: "Made__c", type: "datetime" },
        ],
      },
    ],
  });
  token = await adminToken(org);
  org.insert("Gadget__c", {
    Name: "g1",
    Colors__c: "Red;Green",
    Size__c: 1,
    Made__c: "2024-03-15T10:00:00Z",
  });
  org.insert("Gadget__c", {
    Name: "g2",
    Colors__c: "Blue",
    Size__c: 2,
    Made__c: "2025-07-01T23:30:00-02:00",
  });
  org.insert("Gadget__c", { Name: "g3", Size__c: 3 });
  const acc = org.insert("Account", { Name: "Has Contacts" });
  org.insert("Account", { Name: "Lonely" });
  const con = org.insert("Contact", { LastName: "C", AccountId: acc });
  org.insert("Task", { Subject: "Call", WhatId: acc, WhoId: con, Status: "Not Started", Priority: "Normal" });
});
afterAll(async () => {
  await org.close();
});

const query = async (soql: string) => (await call(org, `${v}/query?q=${q(soql)}`, { token })).json;
const names = (r: any) => r.records.map((x: any) => x.Name);

describe("more SOQL", () => {
  it("INCLUDES and EXCLUDES on multi-select picklists", async () => {
    expect(names(await query("SELECT Name FROM Gadget__c WHERE Colors__c INCLUDES ('Red')"))).toEqual(["g1"]);
    expect(
      names(await query("SELECT Name FROM Gadget__c WHERE Colors__c INCLUDES ('Red;Blue', 'Blue')")),
    ).toEqual(["g2"]);
    expect(names(await query("SELECT Name FROM Gadget__c WHERE Colors__c INCLUDES ('green;red')"))).toEqual([
      "g1",
    ]);
    expect(
      names(await query("SELECT Name FROM Gadget__c WHERE Colors__c EXCLUDES ('Red') ORDER BY Name")),
    ).toEqual(["g2", "g3"]);
  });

  it("semi-joins and anti-joins", async () => {
    expect(
      names(await query("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)")),
    ).toEqual(["Has Contacts"]);
    expect(
      names(
        await query(
          "SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact WHERE AccountId != null)",
        ),
      ),
    ).toEqual(["Lonely"]);
  });

  it("date functions, datetime offsets and aliases", async () => {
    expect(names(await query("SELECT Name FROM Gadget__c WHERE CALENDAR_YEAR(Made__c) = 2025"))).toEqual([
      "g2",
    ]);
    expect(names(await query("SELECT Name FROM Gadget__c WHERE DAY_ONLY(Made__c) = 2025-07-02"))).toEqual([
      "g2",
    ]);
    expect(
      names(await query("SELECT g.Name FROM Gadget__c g WHERE g.Size__c > 1 ORDER BY g.Size__c DESC")),
    ).toEqual(["g3", "g2"]);
    const made = (await query("SELECT Made__c FROM Gadget__c WHERE Name = 'g2'")).records[0].Made__c;
    expect(made).toBe("2025-07-02T01:30:00.000+0000");
    const grouped = await query(
      "SELECT CALENDAR_YEAR(Made__c) y, COUNT(Id) n FROM Gadget__c WHERE Made__c != null GROUP BY CALENDAR_YEAR(Made__c) ORDER BY CALENDAR_YEAR(Made__c)",
    );
    expect(grouped.records.map((r: any) => [r.y, r.n])).toEqual([
      [2024, 1],
      [2025, 1],
    ]);
  });

  it("TYPEOF on polymorphic lookups, and polymorphic parent fields", async () => {
    const r = await query(
      "SELECT Subject, TYPEOF What WHEN Account THEN Name ELSE Id END, Who.Name FROM Task",
    );
    expect(r.records[0].What).toEqual({
      attributes: expect.objectContaining({ type: "Account" }),
      Name: "Has Contacts",
    });
    expect(r.records[0].Who).toEqual({ attributes: expect.objectContaining({ type: "Contact" }), Name: "C" });
  });

  it("FIELDS(ALL) needs a LIMIT of at most 200; FIELDS(STANDARD) does not", async () => {
    const all = await call(org, `${v}/query?q=${q("SELECT FIELDS(ALL) FROM Gadget__c")}`, { token });
    expect(all.status).toBe(400);
    const ok = await query("SELECT FIELDS(CUSTOM) FROM Gadget__c LIMIT 1");
    expect(Object.keys(ok.records[0])).toEqual(["attributes", "Colors__c", "Size__c", "Made__c"]);
    const std = await query("SELECT FIELDS(STANDARD) FROM Gadget__c");
    expect(Object.keys(std.records[0])).toContain("Name");
  });

  it("serves the Tooling query envelope", async () => {
    org.insert("ApexClass", { Name: "HelloWorld", Body: "public class HelloWorld {}" });
    const r = await call(org, `${v}/tooling/query/?q=${q("SELECT Id, Name FROM ApexClass")}`, { token });
    expect(Object.keys(r.json)).toEqual([
      "size",
      "totalSize",
      "done",
      "queryLocator",
      "entityTypeName",
      "records",
    ]);
    expect(r.json).toMatchObject({
      size: 1,
      totalSize: 1,
      done: true,
      queryLocator: null,
      entityTypeName: "ApexClass",
    });
    expect(r.json.records[0].attributes.url).toMatch(
      /^\/services\/data\/v64\.0\/tooling\/sobjects\/ApexClass\/01p/,
    );
  });
});

describe("date literals in the user's time zone", () => {
  it("computes TODAY and YESTERDAY as days of the querying user", async () => {
    let now = Date.parse("2024-05-31T20:00:00Z");
    const tz = await startEmulator({
      now: () => now,
      users: [
        { username: "la@sfkit.test", password: "LosAngeles1", timeZone: "America/Los_Angeles" },
        { username: "tokyo@sfkit.test", password: "Tokyo1", timeZone: "Asia/Tokyo" },
      ],
    });
    try {
      tz.insert("Account", { Name: "A" }); // 2024-05-31 13:00 in Los Angeles
      now = Date.parse("2024-06-01T02:00:00Z"); // May 31 19:00 in Los Angeles, June 1 11:00 in Tokyo
      tz.insert("Account", { Name: "B" });
      tz.insert("Opportunity", { Name: "O", StageName: "Prospecting", CloseDate: "2024-05-31" });
      const login = async (u: string, p: string) =>
        /<sessionId>([^<]+)</.exec((await soapLogin(tz, u, p)).text)![1]!;
      const count = async (t: string, soql: string) =>
        (await call(tz, `${v}/query?q=${q(soql)}`, { token: t })).json.totalSize as number;
      const admin = await adminToken(tz);
      const la = await login("la@sfkit.test", "LosAngeles1");
      const tokyo = await login("tokyo@sfkit.test", "Tokyo1");
      expect(await count(admin, "SELECT COUNT() FROM Account WHERE CreatedDate = TODAY")).toBe(1);
      expect(await count(la, "SELECT COUNT() FROM Account WHERE CreatedDate = TODAY")).toBe(2);
      expect(await count(tokyo, "SELECT COUNT() FROM Account WHERE CreatedDate = TODAY")).toBe(2);
      expect(await count(tokyo, "SELECT COUNT() FROM Account WHERE CreatedDate = YESTERDAY")).toBe(0);
      expect(await count(admin, "SELECT COUNT() FROM Account WHERE CreatedDate = YESTERDAY")).toBe(1);
      expect(await count(la, "SELECT COUNT() FROM Opportunity WHERE CloseDate = TODAY")).toBe(1);
      expect(await count(admin, "SELECT COUNT() FROM Opportunity WHERE CloseDate = TODAY")).toBe(0);
      const byDay = async (t: string) =>
        (
          await call(
            tz,
            `${v}/query?q=${q("SELECT Name FROM Account WHERE DAY_ONLY(convertTimezone(CreatedDate)) = 2024-05-31 ORDER BY Name")}`,
            { token: t },
          )
        ).json.records.map((r: any) => r.Name);
      expect(await byDay(la)).toEqual(["A", "B"]);
      expect(await byDay(admin)).toEqual(["A"]);
    } finally {
      await tz.close();
    }
  });
});

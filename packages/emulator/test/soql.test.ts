import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call, q } from "./helpers.js";

let org: Org;
let token: string;
const v = "/services/data/v64.0";
beforeAll(async () => {
  org = await startEmulator();
  token = await adminToken(org);
  const s = org.store;
  const acme = s.insert("Account", {
    Name: "Acme",
    Industry: "Energy",
    AnnualRevenue: 100,
    NumberOfEmployees: 10,
    Ext_Id__c: "A1",
  });
  const globex = s.insert("Account", {
    Name: "Globex",
    Industry: "Energy",
    AnnualRevenue: 300,
    NumberOfEmployees: 30,
  });
  s.insert("Account", { Name: "Initech", Industry: "Banking", AnnualRevenue: 50 });
  s.insert("Account", { Name: "Umbrella_Corp 100%", Industry: null });
  s.insert("Contact", { LastName: "Smith", FirstName: "Ann", AccountId: acme, Email: "ann@acme.test" });
  s.insert("Contact", { LastName: "Jones", FirstName: "Bob", AccountId: acme });
  s.insert("Contact", { LastName: "Brown", AccountId: globex, Birthdate: "1990-05-01" });
  s.insert("Contact", { LastName: "Orphan" });
  s.insert("Lead", { LastName: "Lee", Company: "LeeCo", Status: "Open - Not Contacted" });
});
afterAll(async () => {
  await org.close();
});

const query = async (soql: string, opts: { all?: boolean; headers?: Record<string, string> } = {}) =>
  call(org, `${v}/${opts.all ? "queryAll" : "query"}?q=${q(soql)}`, { token, headers: opts.headers });
const names = (r: { json: any }) => r.json.records.map((x: any) => x.Name ?? x.LastName);

describe("SOQL", () => {
  it("selects fields in SELECT order with attributes first", async () => {
    const r = await query("SELECT Name, Id FROM Account WHERE Name = 'acme'");
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(["totalSize", "done", "records"]);
    expect(Object.keys(r.json.records[0])).toEqual(["attributes", "Name", "Id"]);
    expect(r.json.records[0].attributes.url).toBe(`${v}/sobjects/Account/${r.json.records[0].Id}`);
  });

  it("filters with comparisons, LIKE escapes, IN, NOT, null and booleans", async () => {
    expect(names(await query("SELECT Name FROM Account WHERE AnnualRevenue > 60 ORDER BY Name"))).toEqual([
      "Acme",
      "Globex",
    ]);
    expect(names(await query("SELECT Name FROM Account WHERE Name LIKE 'g%'"))).toEqual(["Globex"]);
    expect(names(await query("SELECT Name FROM Account WHERE Name LIKE '%\\_Corp 100\\%'"))).toEqual([
      "Umbrella_Corp 100%",
    ]);
    expect(names(await query("SELECT Name FROM Account WHERE Name LIKE 'Umbrella_Corp%'"))).toEqual([
      "Umbrella_Corp 100%",
    ]);
    expect(
      names(await query("SELECT Name FROM Account WHERE Industry IN ('Banking', 'energy') ORDER BY Name")),
    ).toEqual(["Acme", "Globex", "Initech"]);
    expect(
      names(await query("SELECT Name FROM Account WHERE Industry NOT IN ('Energy') ORDER BY Name")),
    ).toEqual(["Initech", "Umbrella_Corp 100%"]);
    expect(names(await query("SELECT Name FROM Account WHERE Industry = null"))).toEqual([
      "Umbrella_Corp 100%",
    ]);
    expect(
      names(
        await query(
          "SELECT Name FROM Account WHERE NOT Name = 'Acme' AND (Industry = 'Energy' OR Industry = 'Banking') ORDER BY Name",
        ),
      ),
    ).toEqual(["Globex", "Initech"]);
    expect(
      names(await query("SELECT Name FROM Account WHERE IsDeleted = false AND NumberOfEmployees >= 30")),
    ).toEqual(["Globex"]);
  });

  it("traverses parents and nests child subqueries (null when empty)", async () => {
    const r = await query("SELECT LastName, Account.Name, Account.Owner.Name FROM Contact ORDER BY LastName");
    const orphan = r.json.records.find((x: any) => x.LastName === "Orphan");
    expect(orphan.Account).toBeNull();
    const smith = r.json.records.find((x: any) => x.LastName === "Smith");
    expect(smith.Account.attributes.type).toBe("Account");
    expect(smith.Account.Name).toBe("Acme");
    expect(smith.Account.Owner.Name).toBe("Ada Admin");
    const c = await query(
      "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name",
    );
    const acme = c.json.records[0];
    expect(acme.Contacts).toEqual({
      totalSize: 2,
      done: true,
      records: [
        { attributes: expect.any(Object), LastName: "Jones" },
        { attributes: expect.any(Object), LastName: "Smith" },
      ],
    });
    expect(c.json.records[2].Contacts).toBeNull();
  });

  it("orders with NULLS FIRST/LAST, limits and offsets", async () => {
    expect(names(await query("SELECT Name FROM Account ORDER BY Industry NULLS LAST, Name DESC"))).toEqual([
      "Initech",
      "Globex",
      "Acme",
      "Umbrella_Corp 100%",
    ]);
    expect(
      names(await query("SELECT Name FROM Account ORDER BY Industry DESC NULLS FIRST, Name LIMIT 2")),
    ).toEqual(["Umbrella_Corp 100%", "Acme"]);
    const r = await query("SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1");
    expect(names(r)).toEqual(["Globex", "Initech"]);
    expect(r.json.totalSize).toBe(2);
    expect((await query("SELECT Name FROM Account LIMIT 1 OFFSET 2001")).json[0].errorCode).toBe(
      "NUMBER_OUTSIDE_VALID_RANGE",
    );
  });

  it("counts and aggregates", async () => {
    const c = await query("SELECT COUNT() FROM Contact WHERE AccountId != null");
    expect(c.json).toEqual({ totalSize: 3, done: true, records: [] });
    const a = await query(
      "SELECT Industry, COUNT(Id), SUM(AnnualRevenue) total, MAX(Name) FROM Account WHERE Industry != null GROUP BY Industry HAVING COUNT(Id) > 1",
    );
    expect(a.text).toBe(
      '{"totalSize":1,"done":true,"records":[{"attributes":{"type":"AggregateResult"},"Industry":"Energy","expr0":2,"total":400.0,"expr1":"Globex"}]}',
    );
    const one = await query("SELECT COUNT(Id) FROM Account");
    expect(one.json.records).toEqual([{ attributes: { type: "AggregateResult" }, expr0: 4 }]);
  });

  it("supports date literals and datetime literals with offsets", async () => {
    const today = await query("SELECT COUNT() FROM Account WHERE CreatedDate = TODAY");
    expect(today.json.totalSize).toBe(4);
    expect(
      (await query("SELECT COUNT() FROM Account WHERE CreatedDate = LAST_N_DAYS:3")).json.totalSize,
    ).toBe(4);
    expect((await query("SELECT COUNT() FROM Account WHERE CreatedDate < YESTERDAY")).json.totalSize).toBe(0);
    const future = new Date(Date.now() + 3600_000);
    const iso = future.toISOString().replace(/\.\d{3}Z$/, "Z");
    expect((await query(`SELECT COUNT() FROM Account WHERE CreatedDate < ${iso}`)).json.totalSize).toBe(4);
    // 2 hours ahead written as +01:00 is 1 hour ahead in UTC; 30 minutes ahead written as -01:00 is 90 minutes ahead.
    const ahead = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, "");
    expect(
      (await query(`SELECT COUNT() FROM Account WHERE CreatedDate < ${ahead(7200_000)}+01:00`)).json
        .totalSize,
    ).toBe(4);
    expect(
      (await query(`SELECT COUNT() FROM Account WHERE CreatedDate > ${ahead(7200_000)}+03:00`)).json
        .totalSize,
    ).toBe(4);
    expect(
      (await query(`SELECT COUNT() FROM Account WHERE CreatedDate > ${ahead(1800_000)}-01:00`)).json
        .totalSize,
    ).toBe(0);
    expect(
      (await query("SELECT LastName FROM Contact WHERE Birthdate = 1990-05-01")).json.records[0].LastName,
    ).toBe("Brown");
    expect((await query("SELECT LastName FROM Contact WHERE Birthdate > 1990-05-01")).json.totalSize).toBe(0);
  });

  it("keeps deleted rows for queryAll only", async () => {
    const id = org.store.insert("Lead", { LastName: "Gone", Company: "X" });
    org.store.delete("Lead", id);
    expect((await query("SELECT Id FROM Lead WHERE LastName = 'Gone'")).json.totalSize).toBe(0);
    const all = await query("SELECT Id, IsDeleted FROM Lead WHERE LastName = 'Gone'", { all: true });
    expect(all.json.records[0].IsDeleted).toBe(true);
  });

  it("answers MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE in Salesforce's form", async () => {
    const t = await query("select count() from XYZZY");
    expect(t.status).toBe(400);
    expect(t.json[0]).toEqual({
      message:
        "\nselect count() from XYZZY\n                    ^\nERROR at Row:1:Column:21\nsObject type 'XYZZY' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
      errorCode: "INVALID_TYPE",
    });
    const f = await query("SELECT Bacon__c FROM Account LIMIT 2");
    expect(f.json[0].message).toBe(
      "\nSELECT Bacon__c FROM Account LIMIT 2\n       ^\nERROR at Row:1:Column:8\nNo such column 'Bacon__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    const m = await query("SELECT Id, FROM Account");
    expect(m.json[0].errorCode).toBe("MALFORMED_QUERY");
    expect(m.json[0].message).toContain("ERROR at Row:1:Column:12\nunexpected token: 'FROM'");
    const typed = await query("SELECT Id FROM Account WHERE AnnualRevenue = '5'");
    expect(typed.json[0].errorCode).toBe("INVALID_FIELD");
  });

  it("pages with locators, honouring Sforce-Query-Options batchSize", async () => {
    const before = org.store.count("Task");
    for (let i = 0; i < 450; i++)
      org.store.insert("Task", {
        Subject: `T${String(i).padStart(3, "0")}`,
        Status: "Not Started",
        Priority: "Normal",
      });
    const soql = "SELECT Subject FROM Task ORDER BY Subject";
    const first = await query(soql, { headers: { "Sforce-Query-Options": "batchSize=200" } });
    expect(first.json.totalSize).toBe(before + 450);
    expect(first.json.done).toBe(false);
    expect(first.json.records).toHaveLength(200);
    expect(Object.keys(first.json)).toEqual(["totalSize", "done", "nextRecordsUrl", "records"]);
    expect(first.json.nextRecordsUrl).toMatch(/^\/services\/data\/v64\.0\/query\/01g\w{15}-200$/);
    const second = await call(org, first.json.nextRecordsUrl, { token });
    expect(second.json.records[0].Subject).toBe("T200");
    const third = await call(org, second.json.nextRecordsUrl, { token });
    expect(third.json.done).toBe(true);
    expect(third.json.nextRecordsUrl).toBeUndefined();
    expect(third.json.records).toHaveLength(50);
    const clamped = await query(soql, { headers: { "Sforce-Query-Options": "batchSize=10" } });
    expect(clamped.json.records).toHaveLength(200);
    const bad = await call(org, `${v}/query/01gXXXXXXXXXXXXAAA-200`, { token });
    expect(bad.status).toBe(400);
    expect(bad.json[0].errorCode).toBe("INVALID_QUERY_LOCATOR");
  });

  it("pages child subqueries on their own", async () => {
    const parent = org.store.insert("Account", { Name: "Big Parent" });
    for (let i = 0; i < 250; i++)
      org.store.insert("Contact", { LastName: `Kid${String(i).padStart(3, "0")}`, AccountId: parent });
    const r = await query(
      `SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Id = '${parent}'`,
      {
        headers: { "Sforce-Query-Options": "batchSize=200" },
      },
    );
    const kids = r.json.records[0].Contacts;
    expect(kids.totalSize).toBe(250);
    expect(kids.done).toBe(false);
    expect(kids.records).toHaveLength(200);
    const more = await call(org, kids.nextRecordsUrl, { token });
    expect(more.json.records).toHaveLength(50);
    expect(more.json.records[0].LastName).toBe("Kid200");
    expect(more.json.done).toBe(true);
  });

  it("exposes the engine for other modules", () => {
    const res = org.query("SELECT Name, Account.Name FROM Contact WHERE LastName = 'Smith'");
    expect(res.columns).toEqual(["Name", "Account.Name"]);
    expect(res.flatten(res.rows[0])).toEqual(["Ann Smith", "Acme"]);
  });
});

describe("query locators", () => {
  it("expire after 15 idle minutes, and a minute after their last page", async () => {
    let now = Date.now();
    const clocked = await startEmulator({ now: () => now, sessionLifetimeMs: 24 * 3600_000 });
    try {
      for (let i = 0; i < 450; i++) clocked.store.insert("Lead", { LastName: `L${i}`, Company: "C" });
      const t = await adminToken(clocked);
      const page = (url: string) => call(clocked, url, { token: t });
      const headers = { "Sforce-Query-Options": "batchSize=200" };
      const first = await call(clocked, `${v}/query?q=${q("SELECT Id FROM Lead")}`, { token: t, headers });
      now += 14 * 60_000;
      const second = await page(first.json.nextRecordsUrl);
      expect(second.status).toBe(200);
      now += 16 * 60_000;
      const stale = await page(second.json.nextRecordsUrl);
      expect(stale.json[0].errorCode).toBe("INVALID_QUERY_LOCATOR");
      const again = await call(clocked, `${v}/query?q=${q("SELECT Id FROM Lead")}`, { token: t, headers });
      const mid = await page(again.json.nextRecordsUrl);
      const last = await page(mid.json.nextRecordsUrl);
      expect(last.json.done).toBe(true);
      expect((await page(mid.json.nextRecordsUrl)).status).toBe(200);
      now += 61_000;
      expect((await page(mid.json.nextRecordsUrl)).status).toBe(400);
    } finally {
      await clocked.close();
    }
  });
});

describe("MALFORMED_QUERY at the end of the input", () => {
  it("says <EOF> when the query stops early, and names a stray last word", async () => {
    const eof = await query("SELECT Id FROM Account WHERE Name = 'a' AND");
    expect(eof.json[0].errorCode).toBe("MALFORMED_QUERY");
    expect(eof.json[0].message).toMatch(/ERROR at Row:1:Column:44\nunexpected token: <EOF>$/);
    const stray = await query("SELECT Id FROM Account WHERE Name = 'a' GARBAGE");
    expect(stray.json[0].message).toMatch(/\^\nERROR at Row:1:Column:41\nunexpected token: 'GARBAGE'$/);
  });

  it("puts the caret under the stray last word, not under an earlier use of the same word", async () => {
    const soql = "SELECT Id FROM Account WHERE Name = 'a' ORDER BYY Name";
    const stray = await query(soql);
    expect(stray.json[0].errorCode).toBe("MALFORMED_QUERY");
    const column = soql.lastIndexOf("Name") + 1;
    expect(stray.json[0].message).toBe(
      `\n${soql}\n${" ".repeat(column - 1)}^\nERROR at Row:1:Column:${column}\nunexpected token: 'Name'`,
    );
  });
});

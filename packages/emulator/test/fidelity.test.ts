// Golden tests: the emulator's responses have the shapes of real Salesforce responses recorded in
// /work/shared/fixtures/recorded (keys, key order where Salesforce keeps one, value types, formats).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call, q, soapLogin } from "./helpers.js";

const RECORDED = "/work/shared/fixtures/recorded";
const raw = (p: string) => readFileSync(join(RECORDED, p), "utf8");
const fixture = (p: string) => JSON.parse(raw(p));
const cassetteBody = (p: string, pathPart?: string) => {
  const c = fixture(p);
  const it = c.interactions.find((i: any) => i.request && (!pathPart || i.request.path.includes(pathPart)));
  return JSON.parse(it.response.body);
};

/** Types of a JSON value: objects keep key order; arrays show their first element. */
function shape(v: unknown): unknown {
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) out[k] = shape(x);
    return out;
  }
  return typeof v;
}

const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;
const v = "/services/data/v48.0";
let org: Org;
let token: string;
beforeAll(async () => {
  org = await startEmulator({ seed: "demo" });
  token = await adminToken(org);
});
afterAll(async () => {
  await org.close();
});

describe("describe metadata", () => {
  it("Account describe has the recorded top-level keys, field keys and nested shapes", async () => {
    const real = cassetteBody("cumulusci/shared_cassettes/GET_sobjects_Account_describe.json");
    const mine = (await call(org, `${v}/sobjects/Account/describe`, { token })).json;
    // sobjectDescribeOption arrived after v48 (present in the v53 recordings of SwiftlySalesforce).
    expect(Object.keys(mine).filter((k) => k !== "sobjectDescribeOption")).toEqual(Object.keys(real));
    expect(Object.keys(mine.fields[0])).toEqual(Object.keys(real.fields[0]));
    for (const name of [
      "Id",
      "Name",
      "Type",
      "ParentId",
      "BillingAddress",
      "AnnualRevenue",
      "NumberOfEmployees",
      "CreatedDate",
      "OwnerId",
    ]) {
      const a = real.fields.find((f: any) => f.name === name);
      const b = mine.fields.find((f: any) => f.name === name);
      expect(b, name).toEqual(a);
    }
    expect(shape(mine.childRelationships[0])).toEqual(shape(real.childRelationships[0]));
    expect(shape(mine.recordTypeInfos[0])).toEqual(shape(real.recordTypeInfos[0]));
    expect(Object.keys(mine.urls)).toEqual(Object.keys(real.urls));
    expect(mine.urls.rowTemplate).toBe(real.urls.rowTemplate);
  });

  it("Contact, Lead, Opportunity and Case describes list the recorded standard fields in order", async () => {
    for (const [type, file] of [
      ["Contact", "GET_sobjects_Contact_describe.json"],
      ["Lead", "GET_sobjects_Lead_describe.json"],
      ["Opportunity", "GET_sobjects_Opportunity_describe.json"],
      ["Case", "GET_sobjects_Case_describe.json"],
    ]) {
      const real = cassetteBody(`cumulusci/shared_cassettes/${file}`);
      const mine = (await call(org, `${v}/sobjects/${type}/describe`, { token })).json;
      const mineNames = mine.fields.map((f: any) => f.name).filter((n: string) => n !== "Ext_Id__c");
      const realNames = real.fields.map((f: any) => f.name).filter((n: string) => mineNames.includes(n));
      expect(mineNames, type).toEqual(realNames);
      expect(mine.keyPrefix).toBe(real.keyPrefix);
    }
  });

  it("every standard field entry equals its recorded describe entry", async () => {
    const files: [string, string][] = [
      ["Account", "cumulusci/shared_cassettes/GET_sobjects_Account_describe.json"],
      ["Contact", "cumulusci/shared_cassettes/GET_sobjects_Contact_describe.json"],
      ["Lead", "cumulusci/shared_cassettes/GET_sobjects_Lead_describe.json"],
      ["Opportunity", "cumulusci/shared_cassettes/GET_sobjects_Opportunity_describe.json"],
      ["Case", "cumulusci/shared_cassettes/GET_sobjects_Case_describe.json"],
    ];
    let compared = 0;
    for (const [type, file] of files) {
      const real = cassetteBody(file);
      const mine = (await call(org, `${v}/sobjects/${type}/describe`, { token })).json;
      for (const f of mine.fields) {
        const r = real.fields.find((x: any) => x.name === f.name);
        if (!r) continue;
        // Lookups to objects the emulator does not have are dropped from referenceTo.
        const expected = {
          ...r,
          referenceTo: r.referenceTo.filter((t: string) => f.referenceTo.includes(t)),
        };
        expect(f, `${type}.${f.name}`).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
    const task = fixture("swiftly/task-describe.json");
    const mineTask = (await call(org, `${v}/sobjects/Task/describe`, { token })).json;
    for (const f of mineTask.fields) {
      const r = task.fields.find((x: any) => x.name === f.name);
      // This older recording lacks a few keys that newer describes (and the emulator) have.
      const picked = Object.fromEntries(Object.keys(r).map((k) => [k, f[k]]));
      expect(picked, `Task.${f.name}`).toEqual({
        ...r,
        referenceTo: r.referenceTo.filter((t: string) => f.referenceTo.includes(t)),
      });
    }
  });

  it("global describe entries have the recorded keys and urls", async () => {
    const real = cassetteBody("cumulusci/shared_cassettes/GET_sobjects_Global_describe.json");
    const mine = (await call(org, "/services/data/v52.0/sobjects", { token })).json;
    expect(Object.keys(mine)).toEqual(Object.keys(real));
    const a = real.sobjects.find((s: any) => s.name === "Account");
    const b = mine.sobjects.find((s: any) => s.name === "Account");
    expect(b).toEqual(a);
  });
});

describe("records and queries", () => {
  it("the Organization record has the recorded keys in order and +0000 datetimes", async () => {
    const real = cassetteBody("cumulusci/shared_cassettes/GET_sobjects_Organization.json");
    const mine = (await call(org, `${v}/sobjects/Organization/${org.organizationId}`, { token })).json;
    const keys = Object.keys(mine);
    expect(keys.filter((k) => !(k in real))).toEqual([]);
    expect(keys).toEqual(Object.keys(real).filter((k) => keys.includes(k)));
    expect(shape(mine.attributes)).toEqual(shape(real.attributes));
    expect(mine.SystemModstamp).toMatch(DATETIME);
    expect(real.SystemModstamp).toMatch(DATETIME);
  });

  it("query, paging, aggregate and count results have the recorded envelopes", async () => {
    const first = fixture("restforce/sobject/query_paginated_first_page_response.json");
    const small = await call(org, `${v}/query?q=${q("SELECT Id, Name FROM Account")}`, { token });
    expect(Object.keys(small.json)).toEqual(["totalSize", "done", "records"]);
    for (let i = 0; i < 250; i++) org.store.insert("Lead", { LastName: `P${i}`, Company: "C" });
    const paged = await call(org, `${v}/query?q=${q("SELECT Id FROM Lead")}`, {
      token,
      headers: { "Sforce-Query-Options": "batchSize=200" },
    });
    expect(Object.keys(paged.json)).toEqual(Object.keys(first));
    const agg = cassetteBody("cumulusci/cassettes/TestDatasetsE2E.test_datasets_e2e.json", "/query");
    const mineAgg = await call(org, `${v}/query?q=${q("select count(Id) from Account")}`, { token });
    expect(shape(mineAgg.json)).toEqual(shape(agg));
    const count = fixture("cumulusci/cassettes/TestCountSObjects.test_count_sobjects_simple.json")
      .interactions[0].response.body;
    const realCount = JSON.parse(count).compositeResponse[0].body;
    const mineCount = await call(org, `${v}/query?q=${q("select count() from Account")}`, { token });
    expect(shape(mineCount.json)).toEqual(shape(realCount));
  });

  it("a wide record query keeps nulls, compound addresses and the SELECT order", async () => {
    const mine = await call(
      org,
      `${v}/query?q=${q("SELECT Id, Name, BillingCity, BillingAddress, ShippingAddress, CreatedDate, LastActivityDate FROM Account LIMIT 1")}`,
      { token },
    );
    const rec = mine.json.records[0];
    expect(Object.keys(rec)).toEqual([
      "attributes",
      "Id",
      "Name",
      "BillingCity",
      "BillingAddress",
      "ShippingAddress",
      "CreatedDate",
      "LastActivityDate",
    ]);
    expect(Object.keys(rec.BillingAddress)).toEqual([
      "city",
      "country",
      "geocodeAccuracy",
      "latitude",
      "longitude",
      "postalCode",
      "state",
      "street",
    ]);
    expect(rec.ShippingAddress).toBeNull();
    expect(rec.LastActivityDate).toBeNull();
    expect(rec.CreatedDate).toMatch(DATETIME);
  });

  it("an empty child subquery is null, as recorded", async () => {
    const real = fixture("cumulusci/cassettes/TestUpsert.test_simple_upsert__rest.json");
    const body = real.interactions.find((i: any) => i.response?.body?.includes('"Opportunities" : null'))
      .response.body;
    expect(JSON.parse(body).records[0].Opportunities).toBeNull();
    const acc = org.insert("Account", { Name: "Childless" });
    const mine = await call(
      org,
      `${v}/query?q=${q(`SELECT Name, (SELECT Id FROM Opportunities) FROM Account WHERE Id = '${acc}'`)}`,
      { token },
    );
    expect(mine.json.records[0].Opportunities).toBeNull();
  });

  it("write results, upsert conflicts, deleted feed and record counts have the recorded shapes", async () => {
    const created = await call(org, `${v}/sobjects/Account/`, {
      method: "POST",
      token,
      body: { Name: "xyzzy", AccountNumber: "420" },
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.json)).toEqual(["id", "success", "errors"]);
    const multiple = fixture("restforce/sobject/upsert_multiple_error_response.json");
    org.insert("Account", { Name: "M1", Ext_Id__c: "SAME" });
    org.insert("Account", { Name: "M2", Ext_Id__c: "SAME" });
    const mine = await call(org, `/services/data/v31.0/sobjects/Account/Ext_Id__c/SAME`, {
      method: "PATCH",
      token,
      body: { Name: "x" },
    });
    expect(mine.status).toBe(300);
    expect(shape(mine.json)).toEqual(shape(multiple));
    const del = fixture("restforce/sobject/get_deleted_success_response.json");
    const start = encodeURIComponent(new Date(Date.now() - 3600_000).toISOString());
    const end = encodeURIComponent(new Date().toISOString());
    const mineDel = await call(org, `${v}/sobjects/Account/deleted/?start=${start}&end=${end}`, { token });
    expect(Object.keys(mineDel.json)).toEqual(Object.keys(del));
    expect(mineDel.json.latestDateCovered).toMatch(DATETIME);
    const rc = cassetteBody("cumulusci/cassettes/TestDatasetsE2E.test_datasets_e2e.json", "recordCount");
    const mineRc = await call(org, `${v}/limits/recordCount?sObjects=Account`, { token });
    expect(shape(mineRc.json)).toEqual(shape(rc));
  });

  it("search results have the v36+ shape", async () => {
    const real = fixture("swiftly/search.json");
    const mine = await call(
      org,
      `/services/data/v53.0/search?q=${q("FIND {Rose} RETURNING Contact(FirstName, LastName, Department)")}`,
      { token },
    );
    expect(Object.keys(mine.json)).toEqual(Object.keys(real));
    expect(Object.keys(mine.json.searchRecords[0])).toEqual(Object.keys(real.searchRecords[0]));
    expect(shape(mine.json.searchRecords[0].attributes)).toEqual(shape(real.searchRecords[0].attributes));
  });

  it("limits entries are {Max, Remaining} numbers like the recorded ones", async () => {
    const real = fixture("swiftly/limits.json");
    const mine = (await call(org, `${v}/limits`, { token })).json;
    expect(Object.keys(mine)).toEqual([...Object.keys(mine)].sort());
    for (const k of [
      "DailyApiRequests",
      "DailyBulkApiBatches",
      "DataStorageMB",
      "FileStorageMB",
      "SingleEmail",
    ]) {
      expect(Object.keys(mine[k]).slice(0, 2)).toEqual(Object.keys(real[k]).slice(0, 2));
    }
  });
});

describe("errors and auth", () => {
  it("REST errors match the recorded bodies", async () => {
    const expired = await call(org, `${v}/limits`, { token: "00Dx!nope" });
    expect(expired.text).toBe(raw("restforce/expired_session_response.json").trim());
    const write = fixture("restforce/sobject/write_error_response.json");
    const mine = await call(org, `${v}/sobjects/Account`, {
      method: "POST",
      token,
      body: { Name: "x", foo: 1 },
    });
    expect(Object.keys(mine.json[0]).slice(0, 2)).toEqual(Object.keys(write[0]));
    expect(mine.json[0].message).toBe("No such column 'foo' on sobject of type Account");
    const composite = cassetteBody(
      "cumulusci/cassettes/TestCompositeParallelSalesforce.test_errors.json",
      "composite",
    );
    const notFound = await call(org, `${v}/sobjects/Foo`, { token });
    expect(notFound.json).toEqual(composite.compositeResponse[0].body);
  });

  it("the SOAP login response has the recorded element sequence, and the fault is identical", async () => {
    const tags = (xml: string) => [...xml.matchAll(/<([A-Za-z:]+)[\s>/]/g)].map((m) => m[1]);
    const real = raw("trino/soap-login-response.xml");
    const u = org.users[0]!;
    const mine = await soapLogin(org, u.username, u.password + u.securityToken, { version: "46.0" });
    expect(tags(mine.text)).toEqual(tags(real));
    const fault = await soapLogin(org, "nobody@example.com", "x");
    expect(fault.text).toBe(raw("trino/soap-login-fault-invalid-login.xml").trim());
  });

  it("OAuth success and error bodies carry the recorded keys", async () => {
    const real = fixture("restforce/auth_success_response.json");
    const app = org.connectedApps[0]!;
    const u = org.users[0]!;
    const body = new URLSearchParams({
      grant_type: "password",
      client_id: app.consumerKey,
      client_secret: app.consumerSecret,
      username: u.username,
      password: u.password + u.securityToken,
    }).toString();
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const mine = await call(org, "/services/oauth2/token", { method: "POST", body, headers });
    for (const k of Object.keys(real)) expect(typeof mine.json[k], k).toBe(typeof real[k]);
    const err = fixture("restforce/refresh_error_response.json");
    const mineErr = await call(org, "/services/oauth2/token", {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        client_id: app.consumerKey,
        refresh_token: "bogus",
      }).toString(),
      headers,
    });
    expect(mineErr.json).toEqual(err);
  });
});

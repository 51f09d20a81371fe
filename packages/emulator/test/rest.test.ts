import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call } from "./helpers.js";

let org: Org;
let token: string;
const v = "/services/data/v64.0";
beforeAll(async () => {
  org = await startEmulator({ seed: "demo" });
  token = await adminToken(org);
});
afterAll(async () => {
  await org.close();
});

const api = (
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) => call(org, v + path, { ...init, token });

describe("discovery", () => {
  it("lists versions without auth and without Sforce-Limit-Info", async () => {
    const r = await call(org, "/services/data/");
    expect(r.status).toBe(200);
    expect(r.headers.get("sforce-limit-info")).toBeNull();
    expect(r.json[0]).toEqual({ label: "Summer '14", url: "/services/data/v31.0", version: "31.0" });
    expect(r.json.find((x: any) => x.version === "64.0").label).toBe("Summer '25");
  });

  it("lists resources, the global describe and sObject basic info", async () => {
    const res = await api("/");
    expect(res.json.sobjects).toBe(`${v}/sobjects`);
    const g = await api("/sobjects");
    expect(Object.keys(g.json)).toEqual(["encoding", "maxBatchSize", "sobjects"]);
    const names = g.json.sobjects.map((s: any) => s.name);
    for (const n of ["Account", "Contact", "Lead", "Opportunity", "Case", "User", "Task", "Organization"])
      expect(names).toContain(n);
    const acc = g.json.sobjects.find((s: any) => s.name === "Account");
    expect(acc.keyPrefix).toBe("001");
    expect(acc.urls.sobject).toBe(`${v}/sobjects/Account`);
    const basic = await api("/sobjects/account");
    expect(basic.json.objectDescribe.name).toBe("Account");
    expect(basic.json.recentItems.length).toBeGreaterThan(0);
  });

  it("describes objects with fields, picklists, references and child relationships", async () => {
    const d = (await api("/sobjects/Contact/describe")).json;
    expect(Object.keys(d)).toEqual([...Object.keys(d)].sort());
    const acc = d.fields.find((f: any) => f.name === "AccountId");
    expect(acc).toMatchObject({
      type: "reference",
      referenceTo: ["Account"],
      relationshipName: "Account",
      soapType: "tns:ID",
    });
    expect(Object.keys(acc)).toEqual([...Object.keys(acc)].sort());
    const last = d.fields.find((f: any) => f.name === "LastName");
    expect(last).toMatchObject({ nillable: false, createable: true, length: 80, type: "string" });
    const ext = d.fields.find((f: any) => f.name === "Ext_Id__c");
    expect(ext).toMatchObject({ externalId: true, custom: true, idLookup: true });
    const accD = (await api("/sobjects/Account/describe")).json;
    expect(accD.childRelationships.map((c: any) => c.relationshipName)).toEqual(
      expect.arrayContaining(["Contacts", "Opportunities", "Cases", "ChildAccounts"]),
    );
    expect(accD.fields.find((f: any) => f.name === "Type").picklistValues[0]).toEqual({
      active: true,
      defaultValue: false,
      label: "Prospect",
      validFor: null,
      value: "Prospect",
    });
    expect(accD.urls.uiDetailTemplate).toBe(`${org.url}/{ID}`);
    const lay = await api("/sobjects/Account/describe/layouts");
    expect(lay.json.layouts).toHaveLength(1);
    const one = await api("/sobjects/Account/describe/layouts/012000000000000AAA");
    expect(one.json.detailLayoutSections.length).toBe(1);
  });

  it("404s unknown objects with Salesforce's body", async () => {
    const r = await api("/sobjects/Nope__c/describe");
    expect(r.status).toBe(404);
    expect(r.text).toBe('[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]');
  });
});

describe("records", () => {
  it("creates, reads, updates and deletes", async () => {
    const c = await api("/sobjects/Account", {
      method: "POST",
      body: { Name: "Acme", AnnualRevenue: 1200, NumberOfEmployees: 12 },
    });
    expect(c.status).toBe(201);
    expect(c.text).toMatch(/^\{"id":"001\w{15}","success":true,"errors":\[\]\}$/);
    const id = c.json.id as string;
    const g = await api(`/sobjects/Account/${id}`);
    expect(Object.keys(g.json)[0]).toBe("attributes");
    expect(g.json.attributes).toEqual({ type: "Account", url: `${v}/sobjects/Account/${id}` });
    expect(g.text).toContain('"AnnualRevenue":1200.0');
    expect(g.text).toContain('"NumberOfEmployees":12,');
    expect(g.json.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(g.json.IsDeleted).toBe(false);
    expect(g.json.BillingAddress).toBeNull();
    const byFields = await api(`/sobjects/Account/${id}?fields=Name,Owner.Name`);
    expect(byFields.json).toEqual({
      attributes: { type: "Account", url: `${v}/sobjects/Account/${id}` },
      Name: "Acme",
      Owner: { attributes: expect.any(Object), Name: "Ada Admin" },
    });
    const fifteen = await api(`/sobjects/Account/${id.slice(0, 15)}`);
    expect(fifteen.json.Id).toBe(id);
    const u = await api(`/sobjects/Account/${id}`, {
      method: "PATCH",
      body: { BillingCity: "Paris", Description: null },
    });
    expect(u.status).toBe(204);
    expect(u.text).toBe("");
    const g2 = await api(`/sobjects/Account/${id}`);
    expect(g2.json.BillingAddress).toEqual({
      city: "Paris",
      country: null,
      geocodeAccuracy: null,
      latitude: null,
      longitude: null,
      postalCode: null,
      state: null,
      street: null,
    });
    expect(g2.json.LastModifiedDate >= g.json.LastModifiedDate).toBe(true);
    const d = await api(`/sobjects/Account/${id}`, { method: "DELETE" });
    expect(d.status).toBe(204);
    const gone = await api(`/sobjects/Account/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.json[0].errorCode).toBe("ENTITY_IS_DELETED");
    const again = await api(`/sobjects/Account/${id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
  });

  it("validates with Salesforce's error codes", async () => {
    const err = async (body: unknown, type = "Account") =>
      (await api(`/sobjects/${type}`, { method: "POST", body })).json[0];
    expect(await err({ Description: "x" })).toEqual({
      message: "Required fields are missing: [Name]",
      errorCode: "REQUIRED_FIELD_MISSING",
      fields: ["Name"],
    });
    expect(await err({ Name: "x", Bogus__c: 1 })).toMatchObject({
      message: "No such column 'Bogus__c' on sobject of type Account",
      errorCode: "INVALID_FIELD",
    });
    expect(await err({ Name: "x".repeat(256) })).toMatchObject({
      errorCode: "STRING_TOO_LONG",
      fields: ["Name"],
    });
    expect(await err({ Name: "x", ParentId: "nope" })).toMatchObject({
      errorCode: "MALFORMED_ID",
      fields: ["ParentId"],
    });
    expect(await err({ LastName: "x", Email: "not-an-email" }, "Contact")).toMatchObject({
      errorCode: "INVALID_EMAIL_ADDRESS",
    });
    expect(await err({ Name: "x", CreatedDate: "2020-01-01T00:00:00Z" })).toMatchObject({
      errorCode: "INVALID_FIELD_FOR_INSERT_UPDATE",
      fields: ["CreatedDate"],
    });
    expect(await err({ Name: "x", AnnualRevenue: "lots" })).toMatchObject({ errorCode: "JSON_PARSER_ERROR" });
    const bad = await api("/sobjects/Account", { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.json[0].errorCode).toBe("JSON_PARSER_ERROR");
    const malformed = await api("/sobjects/Account/xyz", { method: "PATCH", body: { Name: "y" } });
    expect(malformed.status).toBe(400);
    expect(malformed.json[0]).toEqual({
      message: "Account ID: id value of incorrect type: xyz",
      errorCode: "MALFORMED_ID",
      fields: ["Id"],
    });
  });

  it("upserts by external id with the version-dependent statuses", async () => {
    const created = await api("/sobjects/Account/Ext_Id__c/UP-1", { method: "PATCH", body: { Name: "Up" } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), errors: [], success: true, created: true });
    const updated = await api("/sobjects/Account/Ext_Id__c/UP-1", {
      method: "PATCH",
      body: { Name: "Up 2" },
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toEqual({ id: created.json.id, errors: [], success: true, created: false });
    const old = await call(org, "/services/data/v45.0/sobjects/Account/Ext_Id__c/UP-1", {
      method: "PATCH",
      token,
      body: { Name: "Up 3" },
    });
    expect(old.status).toBe(204);
    const oldCreate = await call(org, "/services/data/v45.0/sobjects/Account/Ext_Id__c/UP-2", {
      method: "PATCH",
      token,
      body: { Name: "x" },
    });
    expect(oldCreate.status).toBe(201);
    expect(oldCreate.json.created).toBeUndefined();
    await api("/sobjects/Account", { method: "POST", body: { Name: "Dup A", Ext_Id__c: "DUP" } });
    await api("/sobjects/Account", { method: "POST", body: { Name: "Dup B", Ext_Id__c: "DUP" } });
    const multi = await api("/sobjects/Account/Ext_Id__c/DUP", { method: "PATCH", body: { Name: "?" } });
    expect(multi.status).toBe(300);
    expect(multi.json).toHaveLength(2);
    expect(multi.json[0]).toMatch(new RegExp(`^${v}/sobjects/Account/001`));
    const badField = await api("/sobjects/Account/Nope__c/1", { method: "PATCH", body: { Name: "?" } });
    expect(badField.status).toBe(404);
    expect(badField.json[0].message).toBe(
      "Provided external ID field does not exist or is not accessible: Nope__c",
    );
    const slash = await api(`/sobjects/Account/Ext_Id__c/${encodeURIComponent("a/b c")}`, {
      method: "PATCH",
      body: { Name: "S" },
    });
    expect(slash.status).toBe(201);
    const got = await api(`/sobjects/Account/Ext_Id__c/${encodeURIComponent("a/b c")}`);
    expect(got.json.Name).toBe("S");
  });

  it("serves the deleted and updated feeds", async () => {
    const start = new Date(Date.now() - 60_000).toISOString();
    const c = await api("/sobjects/Contact", { method: "POST", body: { LastName: "Feed" } });
    await api(`/sobjects/Contact/${c.json.id}`, { method: "DELETE" });
    const end = new Date(Date.now() + 120_000).toISOString();
    const del = await api(
      `/sobjects/Contact/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
    );
    expect(del.status).toBe(200);
    expect(Object.keys(del.json)).toEqual(["deletedRecords", "earliestDateAvailable", "latestDateCovered"]);
    // latestDateCovered is minute-granular and not in the future, so a record deleted this minute may not be covered yet.
    expect(del.json.latestDateCovered).toMatch(/:00\.000\+0000$/);
    const upd = await api(
      `/sobjects/Contact/updated/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
    );
    expect(Object.keys(upd.json)).toEqual(["ids", "latestDateCovered"]);
    const tooOld = await api(
      `/sobjects/Contact/deleted/?start=${encodeURIComponent(new Date(Date.now() - 40 * 86400_000).toISOString())}&end=${encodeURIComponent(end)}`,
    );
    expect(tooOld.status).toBe(400);
    expect(tooOld.json[0].errorCode).toBe("INVALID_REPLICATION_DATE");
    const backwards = await api(
      `/sobjects/Contact/updated/?start=${encodeURIComponent(end)}&end=${encodeURIComponent(start)}`,
    );
    expect(backwards.status).toBe(400);
  });

  it("covers a deleted record once its minute is over", async () => {
    let now = Date.now();
    const clocked = await startEmulator({ now: () => now });
    try {
      const t = await adminToken(clocked);
      const start = new Date(now - 60_000).toISOString();
      const c = await call(clocked, `${v}/sobjects/Lead`, {
        method: "POST",
        token: t,
        body: { LastName: "L", Company: "C" },
      });
      await call(clocked, `${v}/sobjects/Lead/${c.json.id}`, { method: "DELETE", token: t });
      now += 120_000;
      const end = new Date(now).toISOString();
      const del = await call(
        clocked,
        `${v}/sobjects/Lead/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
        { token: t },
      );
      expect(del.json.deletedRecords).toEqual([
        { id: c.json.id, deletedDate: expect.stringMatching(/\+0000$/) },
      ]);
    } finally {
      await clocked.close();
    }
  });
});

describe("limits and API usage", () => {
  it("counts calls in Sforce-Limit-Info", async () => {
    const a = await api("/limits");
    const b = await api("/limits");
    const n = (h: string | null) => Number(/api-usage=(\d+)\/15000/.exec(h ?? "")?.[1]);
    expect(n(b.headers.get("sforce-limit-info"))).toBe(n(a.headers.get("sforce-limit-info")) + 1);
    expect(b.json.DailyApiRequests.Max).toBe(15000);
    expect(b.json.DailyApiRequests.Remaining).toBe(15000 - n(b.headers.get("sforce-limit-info")));
  });

  it("reports record counts", async () => {
    const r = await api("/limits/recordCount?sObjects=Account,Lead");
    expect(r.json.sObjects.map((s: any) => s.name)).toEqual(["Account", "Lead"]);
    expect(r.json.sObjects[1]).toEqual({ count: 5, name: "Lead" });
  });

  it("refuses calls beyond the daily limit", async () => {
    const tiny = await startEmulator({ dailyApiLimit: 2 });
    try {
      const t = await adminToken(tiny);
      await call(tiny, `${v}/limits`, { token: t });
      await call(tiny, `${v}/limits`, { token: t });
      const r = await call(tiny, `${v}/limits`, { token: t });
      expect(r.status).toBe(403);
      expect(r.json[0]).toEqual({
        message: "TotalRequests Limit exceeded.",
        errorCode: "REQUEST_LIMIT_EXCEEDED",
      });
    } finally {
      await tiny.close();
    }
  });

  it("honours X-PrettyPrint", async () => {
    const r = await api("/limits/recordCount?sObjects=Lead", { headers: { "X-PrettyPrint": "1" } });
    expect(r.text).toBe('{\n  "sObjects" : [ {\n    "count" : 5,\n    "name" : "Lead"\n  } ]\n}');
  });
});

describe("conditional requests and headers", () => {
  it("answers 304 to If-Modified-Since on describes, with Last-Modified", async () => {
    const first = await api("/sobjects/Account/describe");
    const lastModified = first.headers.get("last-modified")!;
    expect(new Date(lastModified).getTime()).toBeLessThanOrEqual(Date.now());
    const again = await api("/sobjects/Account/describe", { headers: { "If-Modified-Since": lastModified } });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    const old = await api("/sobjects", { headers: { "If-Modified-Since": "Thu, 03 Sep 2020 21:35:07 GMT" } });
    expect(old.status).toBe(200);
  });

  it("rejects an Authorization header of another type with INVALID_AUTH_HEADER", async () => {
    const r = await call(org, `${v}/limits`, { headers: { Authorization: "Basic Zm9vOmJhcg==" } });
    expect(r.status).toBe(401);
    expect(r.json).toEqual([{ message: "INVALID_HEADER_TYPE", errorCode: "INVALID_AUTH_HEADER" }]);
  });

  it("serves the compact layouts and quick actions that describe urls point at", async () => {
    const d = (await api("/sobjects/Contact/describe")).json;
    const compact = await call(org, d.urls.compactLayouts, { token });
    expect(compact.json.compactLayouts[0].objectType).toBe("Contact");
    expect((await call(org, d.urls.quickActions, { token })).json).toEqual([]);
  });
});

describe("per-app API usage", () => {
  it("adds per-app-api-usage for apps with a per-app limit", async () => {
    const app = {
      name: "sample-connected-app",
      consumerKey: "PERAPPKEY",
      consumerSecret: "PERAPPSECRET",
      perAppApiLimit: 250,
    };
    const perApp = await startEmulator({ connectedApps: [app] });
    try {
      const u = perApp.users[0]!;
      const body = new URLSearchParams({
        grant_type: "password",
        client_id: app.consumerKey,
        client_secret: app.consumerSecret,
        username: u.username,
        password: u.password + u.securityToken,
      }).toString();
      const tok = await call(perApp, "/services/oauth2/token", {
        method: "POST",
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      const r = await call(perApp, `${v}/limits`, { token: tok.json.access_token });
      expect(r.headers.get("sforce-limit-info")).toBe(
        "api-usage=1/15000; per-app-api-usage=1/250(appName=sample-connected-app)",
      );
      const soap = await adminToken(perApp);
      const plain = await call(perApp, `${v}/limits`, { token: soap });
      expect(plain.headers.get("sforce-limit-info")).toBe("api-usage=2/15000");
    } finally {
      await perApp.close();
    }
  });
});

describe("auto-number fields", () => {
  it("numbers cases like Salesforce", async () => {
    const a = await api("/sobjects/Case", { method: "POST", body: { Subject: "One" } });
    const b = await api("/sobjects/Case", { method: "POST", body: { Subject: "Two" } });
    const ca = (await api(`/sobjects/Case/${a.json.id}?fields=CaseNumber`)).json.CaseNumber as string;
    const cb = (await api(`/sobjects/Case/${b.json.id}?fields=CaseNumber`)).json.CaseNumber as string;
    expect(ca).toMatch(/^\d{8}$/);
    expect(Number(cb)).toBe(Number(ca) + 1);
  });
});

// Fuzzing the routes: random methods, paths, headers and bodies never crash the server and always
// get an HTTP answer in Salesforce's error format (never a 5xx).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken } from "./helpers.js";

let org: Org;
let token: string;
let accountId: string;
beforeAll(async () => {
  org = await startEmulator();
  token = await adminToken(org);
  accountId = org.insert("Account", { Name: "Fuzz" });
});
afterAll(async () => {
  await org.close();
});

const segments = [
  "services",
  "data",
  "v64.0",
  "v20.0",
  "v99.0",
  "sobjects",
  "Account",
  "Contact",
  "Nope__c",
  "describe",
  "layouts",
  "query",
  "queryAll",
  "search",
  "composite",
  "batch",
  "tree",
  "limits",
  "recordCount",
  "deleted",
  "updated",
  "Ext_Id__c",
  "Id",
  "01gXXXXXXXXXXXX-200",
  "%",
  "..",
  "ünïcode",
  "001",
  "oauth2",
  "token",
  "Soap",
  "u",
  "64.0",
  "apexrest",
];

describe("route fuzzing", () => {
  it("answers every request without a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"),
        fc.array(
          fc.oneof(fc.constantFrom(...segments), fc.constant(accountId), fc.string({ maxLength: 8 })),
          { maxLength: 6 },
        ),
        fc.option(
          fc.oneof(fc.json(), fc.string({ maxLength: 40 }), fc.constant('{"Name":'), fc.constant("<x>")),
          { nil: undefined },
        ),
        fc.option(
          fc.constantFrom(
            "q=SELECT+Id+FROM+Account",
            "q=FIND+{x}",
            "q=%27",
            "fields=Name,Bogus",
            "start=x&end=y",
          ),
          { nil: undefined },
        ),
        fc.constantFrom("application/json", "text/xml", "application/x-www-form-urlencoded", "text/plain"),
        async (method, parts, body, query, contentType) => {
          const path = "/services/" + parts.map((p) => encodeURIComponent(p)).join("/");
          const url = `${org.url}${path.startsWith("/services/services") ? path.slice(9) : path}${query ? `?${query}` : ""}`;
          const res = await fetch(url, {
            method,
            headers: { Authorization: `Bearer ${token}`, "Content-Type": contentType },
            body: method === "GET" || method === "HEAD" ? undefined : body,
          });
          const text = await res.text();
          expect(res.status, `${method} ${url} → ${text.slice(0, 200)}`).toBeLessThan(500);
          if (
            res.status >= 400 &&
            (res.headers.get("content-type") ?? "").includes("json") &&
            method !== "HEAD"
          ) {
            const parsed = JSON.parse(text);
            expect(parsed).toBeTruthy();
          }
        },
      ),
      { numRuns: 100, seed: 42 },
    );
    const alive = await fetch(`${org.url}/services/data`);
    expect(alive.status).toBe(200);
  });

  it("answers well-formed routes with random bodies and parameters without a 5xx", async () => {
    const templates = [
      "/services/data/v64.0/sobjects/Account",
      "/services/data/v64.0/sobjects/Contact",
      `/services/data/v64.0/sobjects/Account/${"ID"}`,
      "/services/data/v64.0/sobjects/Account/Ext_Id__c/X",
      "/services/data/v64.0/sobjects/Account/Id",
      "/services/data/v64.0/composite",
      "/services/data/v64.0/composite/batch",
      "/services/data/v64.0/composite/tree/Account",
      "/services/data/v64.0/composite/sobjects",
      "/services/data/v64.0/composite/sobjects/Account/Ext_Id__c",
      "/services/data/v64.0/parameterizedSearch",
      "/services/oauth2/token",
      "/services/oauth2/revoke",
      "/services/Soap/u/64.0",
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant([1, "a"]),
      fc.constant({ a: 1 }),
    );
    const fieldName = fc.constantFrom(
      "Name",
      "AnnualRevenue",
      "NumberOfEmployees",
      "ParentId",
      "Type",
      "CreatedDate",
      "Ext_Id__c",
      "attributes",
      "Id",
      "bogus",
      "LastName",
      "Email",
      "Birthdate",
    );
    const record = fc.dictionary(fieldName, value, { maxKeys: 5 });
    const body = fc.oneof(
      record.map((r) => JSON.stringify(r)),
      fc.array(record, { maxLength: 3 }).map((a) => JSON.stringify({ allOrNone: true, records: a })),
      fc.array(record, { maxLength: 3 }).map((a) =>
        JSON.stringify({
          compositeRequest: a.map((b, i) => ({
            method: "POST",
            url: "/services/data/v64.0/sobjects/Account",
            referenceId: `r${i}`,
            body: b,
          })),
        }),
      ),
      fc.array(record, { maxLength: 3 }).map((a) =>
        JSON.stringify({
          batchRequests: a.map((b) => ({ method: "PATCH", url: "v64.0/sobjects/Account/X", richInput: b })),
        }),
      ),
      fc.array(record, { maxLength: 3 }).map((a) =>
        JSON.stringify({
          records: a.map((b, i) => ({ attributes: { type: "Account", referenceId: `r${i}` }, ...b })),
        }),
      ),
      fc.json(),
      fc.string({ maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PATCH", "DELETE"),
        fc.constantFrom(...templates),
        body,
        async (method, template, payload) => {
          const url = org.url + template.replace("ID", accountId);
          const res = await fetch(url, {
            method,
            headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
            body: method === "GET" ? undefined : payload,
          });
          const text = await res.text();
          const what = `${method} ${template} ${payload} → ${text.slice(0, 300)}`;
          // SOAP answers its faults with HTTP 500, as Salesforce does; they must be SOAP faults.
          if (template.includes("/Soap/") && res.status === 500)
            expect(text, what).toContain("<soapenv:Fault>");
          else expect(res.status, what).toBeLessThan(500);
        },
      ),
      { numRuns: 120, seed: 7 },
    );
  });

  it("answers 404 for unknown paths and 405 for a wrong method", async () => {
    const nf = await fetch(`${org.url}/services/data/v64.0/nothing/here`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual([
      { errorCode: "NOT_FOUND", message: "The requested resource does not exist" },
    ]);
    const na = await fetch(`${org.url}/services/data/v64.0/limits`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(na.status).toBe(405);
    expect(((await na.json()) as any)[0].errorCode).toBe("METHOD_NOT_ALLOWED");
    const badVersion = await fetch(`${org.url}/services/data/v99.0/limits`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(badVersion.status).toBe(404);
  });
});

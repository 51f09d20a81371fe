// The composite family over raw HTTP: wire shapes as salesforce-wire.md §8 gives them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call } from "./helpers.js";

let org: Org;
let token: string;
const V = "/services/data/v62.0";

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  token = await adminToken(org);
});
afterAll(async () => {
  await org.close();
});

const post = (path: string, body: unknown, method = "POST") =>
  call(org, `${V}${path}`, { method, token, body });

describe("sObject Collections", () => {
  it("create returns positional results in Salesforce's key order; failed creates have no id", async () => {
    const r = await post("/composite/sobjects", {
      allOrNone: false,
      records: [
        { attributes: { type: "Account" }, Name: "Sitwell-Bluth" },
        { attributes: { type: "Contact" }, FirstName: "no last name" },
      ],
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json[0])).toEqual(["id", "success", "errors"]);
    expect(r.json[0]).toMatchObject({ success: true, errors: [] });
    expect(r.json[1]).toEqual({
      success: false,
      errors: [{ statusCode: "REQUIRED_FIELD_MISSING", message: expect.any(String), fields: ["LastName"] }],
    });
  });

  it("allOrNone rolls back and marks the valid records ALL_OR_NONE_OPERATION_ROLLED_BACK", async () => {
    const r = await post("/composite/sobjects", {
      allOrNone: true,
      records: [
        { attributes: { type: "Account" }, Name: "RolledBack" },
        { attributes: { type: "Contact" }, FirstName: "x" },
      ],
    });
    expect(r.json[0].errors[0].statusCode).toBe("ALL_OR_NONE_OPERATION_ROLLED_BACK");
    const q = await call(
      org,
      `${V}/query?q=${encodeURIComponent("SELECT COUNT() FROM Account WHERE Name = 'RolledBack'")}`,
      { token },
    );
    expect(q.json.totalSize).toBe(0);
  });

  it("more than 200 records is EXCEEDED_ID_LIMIT", async () => {
    const records = Array.from({ length: 201 }, () => ({ attributes: { type: "Account" }, Name: "x" }));
    const r = await post("/composite/sobjects", { records });
    expect(r.status).toBe(400);
    expect(r.json[0].errorCode).toBe("EXCEEDED_ID_LIMIT");
  });

  it("upsert adds created; delete and retrieve by ids", async () => {
    const c = await post("/composite/sobjects", {
      records: [{ attributes: { type: "Account" }, Name: "Keep" }],
    });
    const id = c.json[0].id as string;
    const up = await post(
      "/composite/sobjects/Account/Id",
      {
        records: [
          { attributes: { type: "Account" }, Id: id, Name: "Kept" },
          { attributes: { type: "Account" }, Id: null, Name: "New" },
        ],
      },
      "PATCH",
    );
    expect(up.json.map((x: { created: boolean }) => x.created)).toEqual([false, true]);
    expect(Object.keys(up.json[0])).toEqual(["id", "success", "errors", "created"]);
    const got = await call(org, `${V}/composite/sobjects/Account?ids=${id},001000000000000AAA&fields=Name`, {
      token,
    });
    expect(got.json).toEqual([
      expect.objectContaining({ attributes: expect.objectContaining({ type: "Account" }), Name: "Kept" }),
      null,
    ]);
    const del = await call(org, `${V}/composite/sobjects?ids=${id}&allOrNone=false`, {
      method: "DELETE",
      token,
    });
    expect(del.json).toEqual([{ id, success: true, errors: [] }]);
  });
});

describe("composite, batch, tree", () => {
  it("composite items are {body, httpHeaders, httpStatusCode, referenceId} with references resolved", async () => {
    const r = await post("/composite", {
      allOrNone: false,
      compositeRequest: [
        { method: "POST", url: `${V}/sobjects/Account`, referenceId: "refAccount", body: { Name: "Sample" } },
        { method: "GET", url: `${V}/sobjects/Account/@{refAccount.id}?fields=Name`, referenceId: "refGet" },
        { method: "GET", url: `${V}/sobjects/Account/@{missing.id}`, referenceId: "broken" },
      ],
    });
    expect(r.status).toBe(200);
    const [created, read, broken] = r.json.compositeResponse;
    expect(Object.keys(created)).toEqual(["body", "httpHeaders", "httpStatusCode", "referenceId"]);
    expect(created.httpStatusCode).toBe(201);
    expect(created.httpHeaders.Location).toBe(`${V}/sobjects/Account/${created.body.id}`);
    expect(read).toMatchObject({
      httpStatusCode: 200,
      body: { Name: "Sample" },
      httpHeaders: expect.any(Object),
    });
    expect(broken).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: "PROCESSING_HALTED" }] });
  });

  it("duplicate referenceIds and more than 25 subrequests are refused before anything runs", async () => {
    const dup = await post("/composite", {
      compositeRequest: [
        { method: "GET", url: `${V}/limits`, referenceId: "a" },
        { method: "GET", url: `${V}/limits`, referenceId: "a" },
      ],
    });
    expect(dup.status).toBe(400);
    const many = await post("/composite/batch", {
      batchRequests: Array.from({ length: 26 }, () => ({ method: "GET", url: "v62.0/limits" })),
    });
    expect(many.status).toBe(400);
  });

  it("batch halts with 412 BATCH_PROCESSING_HALTED after a failure when asked", async () => {
    const r = await post("/composite/batch", {
      haltOnError: true,
      batchRequests: [
        { method: "GET", url: "v62.0/sobjects/Account/001000000000000AAA" },
        { method: "GET", url: "v62.0/limits" },
      ],
    });
    expect(r.json).toEqual({
      hasErrors: true,
      results: [
        { statusCode: 404, result: [expect.objectContaining({ errorCode: "NOT_FOUND" })] },
        {
          statusCode: 412,
          result: [{ errorCode: "BATCH_PROCESSING_HALTED", message: "Batch processing halted per request" }],
        },
      ],
    });
  });

  it("tree: 201 with every referenceId; 400 lists only the failing records and saves nothing", async () => {
    const ok = await post("/composite/tree/Account", {
      records: [
        {
          attributes: { type: "Account", referenceId: "ref1" },
          Name: "SampleAccount1",
          Contacts: {
            records: [
              {
                attributes: { type: "Contact", referenceId: "ref2" },
                LastName: "Smith",
                Email: "smith@example.com",
              },
            ],
          },
        },
        { attributes: { type: "Account", referenceId: "ref3" }, Name: "SampleAccount2" },
      ],
    });
    expect(ok.status).toBe(201);
    expect(ok.json.hasErrors).toBe(false);
    expect(ok.json.results.map((x: { referenceId: string }) => x.referenceId)).toEqual([
      "ref1",
      "ref2",
      "ref3",
    ]);
    const bad = await post("/composite/tree/Account", {
      records: [
        {
          attributes: { type: "Account", referenceId: "p" },
          Name: "TreeRollback",
          Contacts: { records: [{ attributes: { type: "Contact", referenceId: "c" }, FirstName: "x" }] },
        },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      hasErrors: true,
      results: [
        { referenceId: "c", errors: [expect.objectContaining({ statusCode: "REQUIRED_FIELD_MISSING" })] },
      ],
    });
    const q = await call(
      org,
      `${V}/query?q=${encodeURIComponent("SELECT COUNT() FROM Account WHERE Name = 'TreeRollback'")}`,
      { token },
    );
    expect(q.json.totalSize).toBe(0);
  });
});

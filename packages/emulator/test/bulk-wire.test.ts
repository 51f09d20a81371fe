// Bulk API 1.0 and 2.0 wire formats (salesforce-wire.md §6–7), and jsforce's bulk clients,
// unchanged, against the emulator.
import jsforce from "jsforce";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkOf } from "../src/bulk/index.js";
import { type Org, startEmulator } from "../src/index.js";
import { call } from "./helpers.js";

const V = "/services/data/v62.0";
const A = "/services/async/62.0";
let org: Org;
let token: string;

beforeAll(async () => {
  org = await startEmulator({ port: 0, bulk: { processingDelayMs: 1, queryPageRows: 2 } });
  token = org.sessions.create(org.users[0]!).token;
});
afterAll(async () => {
  await org.close();
});

async function waitFor(path: string, done: (json: any) => boolean, headers: Record<string, string> = {}) {
  for (let i = 0; i < 500; i++) {
    const r = await call(org, path, { token, headers });
    if (done(r.json)) return r.json;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting on ${path}`);
}

describe("Bulk 2.0 wire format", () => {
  it("job info keys come in the documented order; contentUrl only while Open", async () => {
    const created = await call(org, `${V}/jobs/ingest`, {
      method: "POST",
      token,
      body: { object: "Contact", operation: "insert", contentType: "CSV", lineEnding: "LF" },
    });
    expect(created.status).toBe(200);
    expect(Object.keys(created.json)).toEqual([
      "id",
      "operation",
      "object",
      "createdById",
      "createdDate",
      "systemModstamp",
      "state",
      "concurrencyMode",
      "contentType",
      "apiVersion",
      "contentUrl",
      "lineEnding",
      "columnDelimiter",
    ]);
    expect(created.text).toContain('"apiVersion":62.0');
    expect(created.json.contentUrl).toBe(`services/data/v62.0/jobs/ingest/${created.json.id}/batches`);
    expect(created.json.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const id = created.json.id as string;
    const put = await call(org, `${V}/jobs/ingest/${id}/batches`, {
      method: "PUT",
      token,
      headers: { "Content-Type": "text/csv" },
      body: 'LastName,Email\nSmith,s@example.com\n"Quote ""Q""",bad\n',
    });
    expect(put.status).toBe(201);
    expect(put.text).toBe("");
    await call(org, `${V}/jobs/ingest/${id}`, { method: "PATCH", token, body: { state: "UploadComplete" } });
    const done = await waitFor(`${V}/jobs/ingest/${id}`, (j) => j.state === "JobComplete");
    expect(Object.keys(done)).toEqual([
      "id",
      "operation",
      "object",
      "createdById",
      "createdDate",
      "systemModstamp",
      "state",
      "concurrencyMode",
      "contentType",
      "apiVersion",
      "jobType",
      "lineEnding",
      "columnDelimiter",
      "numberRecordsProcessed",
      "numberRecordsFailed",
      "retries",
      "totalProcessingTime",
      "apiActiveProcessingTime",
      "apexProcessingTime",
    ]);
    expect(done).toMatchObject({ jobType: "V2Ingest", numberRecordsProcessed: 2, numberRecordsFailed: 1 });
    const ok = await call(org, `${V}/jobs/ingest/${id}/successfulResults/`, { token });
    expect(ok.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(ok.text).toMatch(
      /^"sf__Id","sf__Created","LastName","Email"\n"003\w{15}","true","Smith","s@example.com"\n$/,
    );
    const failed = await call(org, `${V}/jobs/ingest/${id}/failedResults/`, { token });
    expect(failed.text).toBe(
      '"sf__Id","sf__Error","LastName","Email"\n"","INVALID_EMAIL_ADDRESS:Email: invalid email address: bad:Email --","Quote ""Q""","bad"\n',
    );
    const none = await call(org, `${V}/jobs/ingest/${id}/unprocessedrecords/`, { token });
    expect(none.text).toBe('"LastName","Email"\n');
  });

  it("refuses a second upload, illegal state changes, unknown jobs and objects", async () => {
    const { json } = await call(org, `${V}/jobs/ingest`, {
      method: "POST",
      token,
      body: { object: "Account", operation: "insert" },
    });
    const put = (body: string) =>
      call(org, `${V}/jobs/ingest/${json.id}/batches`, {
        method: "PUT",
        token,
        headers: { "Content-Type": "text/csv" },
        body,
      });
    expect((await put("Name\nA\n")).status).toBe(201);
    const second = await put("Name\nB\n");
    expect(second.status).toBe(400);
    expect(second.json[0].errorCode).toBe("BULK_API_ERROR");
    expect(second.json[0].message).toMatch(/^Found multiple contents for job: </);
    const aborted = await call(org, `${V}/jobs/ingest/${json.id}`, {
      method: "PATCH",
      token,
      body: { state: "Aborted" },
    });
    expect(aborted.json.state).toBe("Aborted");
    const again = await call(org, `${V}/jobs/ingest/${json.id}`, {
      method: "PATCH",
      token,
      body: { state: "Aborted" },
    });
    expect(again.status).toBe(400);
    expect(again.json[0].errorCode).toBe("INVALIDJOBSTATE");
    expect((await call(org, `${V}/jobs/ingest/750000000000000AAA`, { token })).status).toBe(404);
    const bad = await call(org, `${V}/jobs/ingest`, {
      method: "POST",
      token,
      body: { object: "Nope__c", operation: "insert" },
    });
    expect(bad.status).toBe(400);
    const noAuth = await call(org, `${V}/jobs/ingest/${json.id}`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.json).toEqual([{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    expect((await call(org, `${V}/jobs/ingest/${json.id}`, { method: "DELETE", token })).status).toBe(204);
  });

  it("fails a job whose data does not use the declared line ending, or names an unknown field", async () => {
    const run = async (body: Record<string, unknown>, csv: string) => {
      const { json } = await call(org, `${V}/jobs/ingest`, {
        method: "POST",
        token,
        body: { object: "Account", operation: "insert", ...body },
      });
      await call(org, `${V}/jobs/ingest/${json.id}/batches`, {
        method: "PUT",
        token,
        headers: { "Content-Type": "text/csv" },
        body: csv,
      });
      await call(org, `${V}/jobs/ingest/${json.id}`, {
        method: "PATCH",
        token,
        body: { state: "UploadComplete" },
      });
      return waitFor(`${V}/jobs/ingest/${json.id}`, (j) => j.state === "Failed" || j.state === "JobComplete");
    };
    expect(await run({}, "Name\r\nA\r\n")).toMatchObject({
      state: "Failed",
      errorMessage: "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF",
    });
    expect(await run({ lineEnding: "CRLF" }, "Name\nA\n")).toMatchObject({
      state: "Failed",
      errorMessage:
        "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF",
    });
    expect(await run({ lineEnding: "CRLF" }, 'Name\r\n"two\nlines"\r\n')).toMatchObject({
      state: "JobComplete",
    });
    expect(await run({}, "Name,Bogus__c\nA,1\n")).toMatchObject({
      state: "Failed",
      errorMessage: "InvalidBatch : Field name not found : Bogus__c",
    });
  });

  it("pages query results with Sforce-Locator until the literal null; 412 before completion", async () => {
    for (const name of ["P1", "P2", "P3"]) org.store.insert("Account", { Name: name });
    bulkOf(org).pause();
    const { json } = await call(org, `${V}/jobs/query`, {
      method: "POST",
      token,
      body: { operation: "query", query: "SELECT Id, Name FROM Account WHERE Name LIKE 'P%' ORDER BY Name" },
    });
    expect(json.state).toBe("UploadComplete");
    const early = await call(org, `${V}/jobs/query/${json.id}/results`, { token });
    expect(early.status).toBe(412);
    expect(early.json[0].errorCode).toBe("JOB_NOT_COMPLETE");
    bulkOf(org).resume();
    await waitFor(`${V}/jobs/query/${json.id}`, (j) => j.state === "JobComplete");
    const first = await call(org, `${V}/jobs/query/${json.id}/results`, { token });
    expect(first.headers.get("sforce-numberofrecords")).toBe("2");
    const locator = first.headers.get("sforce-locator")!;
    expect(locator).toBe("Mg");
    expect(first.text).toMatch(/^"Id","Name"\n"001\w{15}","P1"\n"001\w{15}","P2"\n$/);
    const last = await call(org, `${V}/jobs/query/${json.id}/results?locator=${locator}`, { token });
    expect(last.headers.get("sforce-locator")).toBe("null");
    expect(last.text).toMatch(/^"Id","Name"\n"001\w{15}","P3"\n$/);
  });
});

describe("Bulk 1.0 wire format", () => {
  it("JSON job and batch info are alphabetical; CSV results are quoted with a trailing newline", async () => {
    const headers = { "X-SFDC-Session": token, "Content-Type": "application/json" };
    const job = await call(org, `${A}/job`, {
      method: "POST",
      headers,
      body: { operation: "insert", object: "Contact", contentType: "CSV" },
    });
    expect(job.status).toBe(201);
    const keys = Object.keys(job.json);
    expect(keys).toEqual([...keys].sort());
    expect(job.json).toMatchObject({
      state: "Open",
      concurrencyMode: "Parallel",
      contentType: "CSV",
      numberBatchesTotal: 0,
    });
    const batch = await fetch(`${org.url}${A}/job/${job.json.id}/batch`, {
      method: "POST",
      headers: { "X-SFDC-Session": token, "Content-Type": "text/csv" },
      body: "LastName,FirstName\nSmith,Ann\n,NoLast\n",
    });
    expect(batch.status).toBe(201);
    const batchXml = await batch.text();
    expect(batchXml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><batchInfo\n {3}xmlns="http:\/\/www.force.com\/2009\/06\/asyncapi\/dataload">\n <id>751\w{15}<\/id>\n <jobId>750\w{15}<\/jobId>\n <state>Queued<\/state>\n/,
    );
    const batchId = /<id>(\w+)<\/id>/.exec(batchXml)![1]!;
    await call(org, `${A}/job/${job.json.id}`, { method: "POST", headers, body: { state: "Closed" } });
    for (let i = 0; i < 500; i++) {
      const r = await fetch(`${org.url}${A}/job/${job.json.id}/batch/${batchId}`, {
        headers: { "X-SFDC-Session": token },
      });
      if ((await r.text()).includes("<state>Completed</state>")) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const result = await fetch(`${org.url}${A}/job/${job.json.id}/batch/${batchId}/result`, {
      headers: { "X-SFDC-Session": token },
    });
    expect(result.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(await result.text()).toMatch(
      /^"Id","Success","Created","Error"\n"003\w{15}","true","true",""\n"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: \[LastName\]:LastName --"\n$/,
    );
  });

  it("an invalid session is 400 InvalidSessionId, in JSON for JSON requests", async () => {
    const r = await call(org, `${A}/job`, {
      method: "POST",
      headers: { "X-SFDC-Session": "00Dxx!expired", "Content-Type": "application/json" },
      body: { operation: "insert", object: "Account", contentType: "JSON" },
    });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ exceptionCode: "InvalidSessionId", exceptionMessage: "Invalid session id" });
  });
});

describe("jsforce 3.10.16 bulk clients, unchanged", () => {
  it("Bulk 1.0 load and query", async () => {
    const conn = new jsforce.Connection({ instanceUrl: org.url, accessToken: token, version: "62.0" });
    const results = (await conn.bulk.load("Account", "insert", [
      { Name: "js bulk 1" },
      { Name: "js bulk 2" },
    ])) as any[];
    expect(results.map((r) => r.success)).toEqual([true, true]);
    const rows = (await conn.bulk.query("SELECT Id, Name FROM Account WHERE Name LIKE 'js bulk%'").then(
      (stream: any) =>
        new Promise<any[]>((resolve, reject) => {
          const out: any[] = [];
          stream.on("record", (r: any) => out.push(r));
          stream.on("error", reject);
          stream.on("end", () => resolve(out));
        }),
    )) as any[];
    expect(rows.map((r) => r.Name).sort()).toEqual(["js bulk 1", "js bulk 2"]);
  });

  it("Bulk 2.0 loadAndWaitForResults and query", async () => {
    const conn = new jsforce.Connection({ instanceUrl: org.url, accessToken: token, version: "62.0" });
    const res = (await conn.bulk2.loadAndWaitForResults({
      object: "Account",
      operation: "insert",
      input: [{ Name: "js bulk2 a" }, { Name: "js bulk2 b" }],
      pollInterval: 10,
      pollTimeout: 10_000,
    })) as any;
    expect(res.successfulResults).toHaveLength(2);
    expect(res.failedResults).toEqual([]);
    const rows = (await conn.bulk2
      .query("SELECT Id, Name FROM Account WHERE Name LIKE 'js bulk2%'", {
        pollInterval: 10,
        pollTimeout: 10_000,
      })
      .then((r: any) => r.toArray())) as any[];
    expect(rows.map((r: any) => r.Name).sort()).toEqual(["js bulk2 a", "js bulk2 b"]);
  });
});

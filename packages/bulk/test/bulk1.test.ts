import { ConfigurationError, SalesforceAbortError, createClient } from "@sfkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BulkJobError, type BulkProgress, BulkPollingTimeoutError, bulk } from "../src/index.js";
import { bulkControl, clientFor, type Org, refreshingClientFor, startOrg } from "./helpers.js";

let org: Org;
let sf: ReturnType<typeof clientFor>;

beforeAll(async () => {
  org = await startOrg({ queryResultRows: 3 });
  sf = clientFor(org);
});
afterAll(async () => {
  await sf.close();
  await org.close();
});

describe("Bulk 1.0 DML", () => {
  it("insert returns one result per record, in input order; a failed row is a result", async () => {
    const progress: BulkProgress[] = [];
    const results = await sf.bulk.Contact.insert(
      [
        { LastName: "One" },
        { FirstName: "No last name" },
        { LastName: "Three", Email: "bad" },
        { LastName: "Four" },
      ],
      { onProgress: (e) => progress.push(e) },
    );
    expect(results).toHaveLength(4);
    expect(results[0]).toMatchObject({ success: true, created: true, errors: [] });
    expect(results[0]!.id).toMatch(/^003\w{15}$/);
    expect(results[1]).toEqual({
      id: null,
      success: false,
      created: false,
      errors: [
        {
          statusCode: "REQUIRED_FIELD_MISSING",
          message: "Required fields are missing: [LastName]",
          fields: ["LastName"],
        },
      ],
    });
    expect(results[2]).toMatchObject({
      success: false,
      errors: [expect.objectContaining({ statusCode: "INVALID_EMAIL_ADDRESS" })],
    });
    expect(org.store.find("Contact", results[3]!.id!)).toMatchObject({ LastName: "Four" });
    const jobId = (progress.find((e) => e.type === "jobCreated") as { jobId: string }).jobId;
    expect(progress).toContainEqual(
      expect.objectContaining({
        type: "state",
        api: "bulk",
        jobId,
        state: "Completed",
        processed: 4,
        failed: 2,
      }),
    );
  });

  it("splits into batches of batchSize and keeps results aligned with the input", async () => {
    const records = Array.from({ length: 25 }, (_, i) =>
      i === 13 ? { FirstName: "bad" } : { LastName: `B${i}` },
    );
    const progress: BulkProgress[] = [];
    const results = await sf.bulk.Contact.insert(records, {
      batchSize: 10,
      onProgress: (e) => progress.push(e),
    });
    expect(results).toHaveLength(25);
    expect(results.map((r) => r.success)).toEqual(records.map((_, i) => i !== 13));
    for (const [i, r] of results.entries())
      if (r.success) expect(org.store.find("Contact", r.id!)!.LastName).toBe(`B${i}`);
    expect(progress.filter((e) => e.type === "uploaded").map((e) => (e as { rows: number }).rows)).toEqual([
      10, 10, 5,
    ]);
  });

  it('"auto" batches at 10,000 records and loses none at the boundary (simple-salesforce #693)', async () => {
    const records = Array.from({ length: 10_001 }, (_, i) => ({ Name: `Auto ${i}` }));
    const progress: BulkProgress[] = [];
    const results = await sf.bulk
      .sobject("Thing__c")
      .insert(records, { onProgress: (e) => progress.push(e) });
    expect(results).toHaveLength(10_001);
    expect(results.every((r) => r.success)).toBe(true);
    expect(progress.filter((e) => e.type === "uploaded").map((e) => (e as { rows: number }).rows)).toEqual([
      10_000, 1,
    ]);
    const one = await sf.bulk.sobject("Thing__c").insert([{ Name: "just one" }], { batchSize: "auto" });
    expect(one).toHaveLength(1);
  }, 60_000);

  it("a batch holds at most 10 MB too: large rows split before 10,000 records, every row saved", async () => {
    // 400 rows of ~30 kB (under Description's 32,000 characters) are ~12 MB: two batches.
    const text = "x".repeat(29_990);
    const records = Array.from({ length: 400 }, (_, i) => ({ LastName: `Big ${i}`, Description: text }));
    for (const contentType of ["JSON", "CSV"] as const) {
      const progress: BulkProgress[] = [];
      const results = await sf.bulk.Contact.insert(records, {
        contentType,
        onProgress: (e) => progress.push(e),
      });
      expect(results).toHaveLength(400);
      expect(results.every((r) => r.success)).toBe(true);
      const batches = progress.filter((e) => e.type === "uploaded").map((e) => (e as { rows: number }).rows);
      expect(batches.length, contentType).toBe(2);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(400);
      expect(batches[0]! * 30_000).toBeLessThanOrEqual(10_000_000);
      expect(org.store.find("Contact", results[399]!.id!)!.Description).toBe(text);
    }
  }, 60_000);

  it("CSV content type: null is #N/A, a missing key leaves the field, quoting survives", async () => {
    const a = org.insert("Account", { Name: "CSV one", Phone: "1", Fax: "2" });
    const b = org.insert("Account", { Name: "CSV two", Phone: "3", Fax: "4" });
    const results = await sf.bulk.Account.update(
      [
        { Id: a, Phone: null, Description: 'a "quoted", multi\nline value' },
        { Id: b, Fax: "9" },
      ],
      { contentType: "CSV" },
    );
    expect(results.map((r) => r.success)).toEqual([true, true]);
    expect(results[0]).toMatchObject({ id: a, created: false });
    expect(org.store.find("Account", a)!.Phone).toBeUndefined();
    expect(org.store.find("Account", a)).toMatchObject({
      Fax: "2",
      Description: 'a "quoted", multi\nline value',
    });
    expect(org.store.find("Account", b)).toMatchObject({ Phone: "3", Fax: "9" });
    const failed = await sf.bulk.Contact.insert([{ FirstName: "x" }], { contentType: "CSV" });
    expect(failed[0]).toEqual({
      id: null,
      success: false,
      created: false,
      errors: [
        {
          statusCode: "REQUIRED_FIELD_MISSING",
          message: "Required fields are missing: [LastName]",
          fields: ["LastName"],
        },
      ],
    });
  });

  it("upserts on an external id field, with relationship values", async () => {
    org.insert("Thing__c", { Name: "Parent", Code__c: "P-1" });
    const first = await sf.bulk.sobject("Widget__c").upsert(
      [
        { Ext__c: "W-1", Name: "w1", Thing__r: { Code__c: "P-1" } },
        { Ext__c: "W-2", Name: "w2" },
      ],
      "Ext__c",
    );
    expect(first.map((r) => r.created)).toEqual([true, true]);
    const second = await sf.bulk
      .sobject("Widget__c")
      .upsert([{ Ext__c: "W-1", Name: "w1b" }], "Ext__c", { contentType: "CSV" });
    expect(second[0]).toMatchObject({ success: true, created: false, id: first[0]!.id });
    expect(org.store.find("Widget__c", first[0]!.id!)).toMatchObject({ Name: "w1b" });
    expect(org.store.find("Widget__c", first[0]!.id!)!.Thing__c).toMatch(/^\w{18}$/);
    await expect(sf.bulk.Account.upsert([{ Name: "x" }], "")).rejects.toThrow(ConfigurationError);
  });

  it("deletes and hard-deletes; useSerial is sent as concurrencyMode Serial", async () => {
    const a = org.insert("Account", { Name: "v1 del" });
    const b = org.insert("Account", { Name: "v1 hard" });
    const progress: BulkProgress[] = [];
    const deleted = await sf.bulk.Account.delete([{ Id: a }], {
      useSerial: true,
      onProgress: (e) => progress.push(e),
    });
    expect(deleted).toEqual([{ id: a, success: true, created: false, errors: [] }]);
    expect(org.store.get(a)!.IsDeleted).toBe(true);
    const jobId = (progress.find((e) => e.type === "jobCreated") as { jobId: string }).jobId;
    expect(await sf.bulk.job(jobId)).toMatchObject({
      concurrencyMode: "Serial",
      state: "Closed",
      operation: "delete",
    });
    const hard = await sf.bulk.Account.hardDelete([{ Id: b }, { Id: "001000000000000AAA" }]);
    expect(hard[0]!.success).toBe(true);
    expect(hard[1]!.success).toBe(false);
    expect(org.store.get(b)).toBeUndefined();
  });

  it("rejects NaN and bad options before creating a job", async () => {
    const before = (await bulkControl(org)).v1.jobs.size;
    await expect(sf.bulk.Account.insert([{ Name: "x", NumberOfEmployees: Number.NaN }])).rejects.toThrow(
      /NaN/,
    );
    await expect(sf.bulk.Account.insert([{ Name: "x" }], { batchSize: 10_001 })).rejects.toThrow(/batchSize/);
    await expect(sf.bulk.Account.insert([{ Name: "x" }], { contentType: "XML" as "CSV" })).rejects.toThrow(
      /contentType/,
    );
    expect((await bulkControl(org)).v1.jobs.size).toBe(before);
    expect(await sf.bulk.Account.insert([])).toEqual([]);
  });

  it("every Bulk 1.0 call authenticates with X-SFDC-Session, never an Authorization header", async () => {
    const seen: Array<{ url: string; headers: Record<string, string> }> = [];
    const session = org.sessions.create(org.users[0]!);
    const client = createClient({
      instanceUrl: org.url,
      sessionId: session.token,
      fetch: (url, init) => {
        seen.push({ url, headers: init.headers });
        return fetch(url, init as RequestInit) as never;
      },
    }).extend(bulk({ pollInterval: 5, maxPollInterval: 50 }));
    try {
      const results = await client.bulk.Contact.insert([{ LastName: "Header" }]);
      expect(results[0]!.success).toBe(true);
    } finally {
      await client.close();
    }
    const bulkCalls = seen.filter((call) => call.url.includes("/services/async/"));
    expect(bulkCalls.length).toBeGreaterThan(3);
    for (const call of bulkCalls) {
      const names = Object.keys(call.headers).map((name) => name.toLowerCase());
      expect(names, call.url).toContain("x-sfdc-session");
      expect(names, call.url).not.toContain("authorization");
    }
  });

  it("an expired session (400 InvalidSessionId) goes through the refresh rule and the job completes", async () => {
    const { client, logins } = refreshingClientFor(org);
    org.faults.next({ method: "GET", path: /services\/async\/.*\/batch$/, expireSession: true });
    const results = await client.bulk.Account.insert([{ Name: "Refreshed" }]);
    expect(results[0]!.success).toBe(true);
    expect(logins()).toBe(2);
    await client.close();
  });

  it("F15: a polling time-out carries the job and batch ids and leaves the job alone", async () => {
    const control = await bulkControl(org);
    control.pause();
    let error: unknown;
    try {
      error = await sf.bulk.Account.insert([{ Name: "late" }], { pollTimeout: 50 }).catch((e: unknown) => e);
    } finally {
      control.resume();
    }
    expect(error).toBeInstanceOf(BulkPollingTimeoutError);
    const timeout = error as BulkPollingTimeoutError;
    expect(timeout.batchIds).toHaveLength(1);
    expect(control.v1.jobs.get(timeout.jobId)!.state).toBe("Closed");
    const resumed = await sf.bulk.resume(timeout.jobId);
    expect(resumed).toEqual([expect.objectContaining({ success: true, created: true })]);
  });
});

describe("Bulk 1.0 aborted jobs", () => {
  it("rows of batches that were never processed come back as NOT_PROCESSED results", async () => {
    const control = await bulkControl(org);
    control.pause();
    let jobId = "";
    const pending = sf.bulk.Account.insert([{ Name: "never 1" }, { Name: "never 2" }], {
      onProgress: (e) => {
        if (e.type === "jobCreated") jobId = e.jobId;
      },
    });
    try {
      while (!jobId || control.v1.jobs.get(jobId)?.state !== "Closed")
        await new Promise((r) => setTimeout(r, 5));
      expect((await sf.bulk.abort(jobId)).state).toBe("Aborted");
    } finally {
      control.resume();
    }
    const results = await pending;
    expect(results).toHaveLength(2);
    expect(results.every((r) => !r.success && r.errors[0]!.statusCode === "NOT_PROCESSED")).toBe(true);
    expect(await sf.bulk.Account.query("SELECT Id FROM Account WHERE Name LIKE 'never%'")).toEqual([]);
  });
});

describe("Bulk 1.0 query", () => {
  it("reads every result set of a query (JSON and CSV)", async () => {
    for (let i = 0; i < 7; i++) org.insert("Thing__c", { Name: `RS${i}`, Code__c: `RS-${i}` });
    const soql = "SELECT Name, Code__c FROM Thing__c WHERE Name LIKE 'RS%' ORDER BY Name";
    const json = await sf.bulk.sobject("Thing__c").query(soql);
    expect(json.map((r) => r.Name)).toEqual(["RS0", "RS1", "RS2", "RS3", "RS4", "RS5", "RS6"]);
    expect(json[0]).toMatchObject({ attributes: { type: "Thing__c" }, Code__c: "RS-0" });
    const csv = await sf.bulk.sobject("Thing__c").query(soql, { contentType: "CSV" });
    expect(csv).toEqual(json.map((r) => ({ Name: r.Name, Code__c: r.Code__c })));
  });

  it("PK chunking gathers the rows of every chunk batch", async () => {
    const progress: BulkProgress[] = [];
    const rows = await sf.bulk
      .sobject("Thing__c")
      .query("SELECT Id, Name FROM Thing__c WHERE Name LIKE 'RS%'", {
        pkChunking: { chunkSize: 2 },
        onProgress: (e) => progress.push(e),
      });
    expect(rows.map((r) => r.Name).sort()).toEqual(["RS0", "RS1", "RS2", "RS3", "RS4", "RS5", "RS6"]);
    const jobId = (progress.find((e) => e.type === "jobCreated") as { jobId: string }).jobId;
    const batches = await sf.bulk.batches(jobId);
    expect(batches).toHaveLength(5);
    expect(batches[0]!.state).toBe("Not Processed");
  });

  it("F14: zero rows is an empty list, in JSON and in CSV ('Records not found for this query')", async () => {
    expect(await sf.bulk.Account.query("SELECT Id FROM Account WHERE Name = 'nothing here'")).toEqual([]);
    expect(
      await sf.bulk.Account.query("SELECT Id FROM Account WHERE Name = 'nothing here'", {
        contentType: "CSV",
      }),
    ).toEqual([]);
  });

  it("queryAll includes deleted rows; queryIter streams", async () => {
    const id = org.insert("Account", { Name: "v1 gone" });
    org.store.delete("Account", id);
    expect(await sf.bulk.Account.query("SELECT Id FROM Account WHERE Name = 'v1 gone'")).toEqual([]);
    const all = await sf.bulk.Account.queryAll("SELECT Id FROM Account WHERE Name = 'v1 gone'", {
      contentType: "CSV",
    });
    expect(all).toEqual([{ Id: id }]);
    let count = 0;
    for await (const _ of sf.bulk
      .sobject("Thing__c")
      .queryIter("SELECT Id FROM Thing__c WHERE Name LIKE 'RS%'"))
      count++;
    expect(count).toBe(7);
  });

  it("queryIter stops with SalesforceAbortError at the next record once the caller aborts", async () => {
    for (let i = 0; i < 300; i++) org.insert("Thing__c", { Name: `AC${i}`, Code__c: `AC-${i}` });
    const soql = "SELECT Id FROM Thing__c WHERE Name LIKE 'AC%'";
    // Abort near the end of the last result set: no request is left for the abort to cancel.
    const stopAt = 298;
    const caller = new AbortController();
    let seen = 0;
    const reading = (async () => {
      for await (const _ of sf.bulk.sobject("Thing__c").queryIter(soql, { signal: caller.signal })) {
        seen++;
        if (seen === stopAt) caller.abort();
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(SalesforceAbortError);
    expect(seen).toBe(stopAt);
  });

  it("a failed query batch throws BulkJobError with Salesforce's state message", async () => {
    const error = await sf.bulk.Account.query("SELECT Nope__c FROM Account").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkJobError);
    expect((error as BulkJobError).message).toContain("InvalidBatch : Failed to process query");
    expect((error as BulkJobError).batchId).toMatch(/^751/);
  });
});

describe("emulator wire format (Bulk 1.0 XML)", () => {
  it("answers an XML job create with the documented layout, and a bad session with 400 InvalidSessionId", async () => {
    const session = org.sessions.create(org.users[0]!);
    const response = await fetch(`${org.url}/services/async/62.0/job`, {
      method: "POST",
      headers: { "X-SFDC-Session": session.token, "Content-Type": "application/xml; charset=UTF-8" },
      body: '<jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>',
    });
    expect(response.status).toBe(201);
    const xml = await response.text();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><jobInfo\n {3}xmlns="http:\/\/www.force.com\/2009\/06\/asyncapi\/dataload">\n <id>750\w{15}<\/id>\n <operation>insert<\/operation>\n <object>Account<\/object>\n/,
    );
    expect(xml).toContain(
      " <numberRetries>0</numberRetries>\n <apiVersion>62.0</apiVersion>\n <numberRecordsFailed>0</numberRecordsFailed>\n",
    );
    const denied = await fetch(`${org.url}/services/async/62.0/job`, {
      method: "POST",
      headers: { "X-SFDC-Session": "00Dbad!token", "Content-Type": "application/xml" },
      body: "<jobInfo/>",
    });
    expect(denied.status).toBe(400);
    expect(await denied.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><error\n   xmlns="http://www.force.com/2009/06/asyncapi/dataload">\n <exceptionCode>InvalidSessionId</exceptionCode>\n <exceptionMessage>Invalid session id</exceptionMessage>\n</error>',
    );
  });
});

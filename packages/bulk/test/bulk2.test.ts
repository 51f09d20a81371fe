import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  ConfigurationError,
  SalesforceAbortError,
  SalesforceExpiredSession,
  SalesforceMalformedRequest,
} from "@sfkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BulkJobError, type BulkProgress, BulkPollingTimeoutError } from "../src/index.js";
import { bulkControl, clientFor, type Org, refreshingClientFor, startOrg } from "./helpers.js";

let org: Org;
let sf: ReturnType<typeof clientFor>;
let dir: string;

beforeAll(async () => {
  org = await startOrg();
  sf = clientFor(org);
  dir = mkdtempSync(join(tmpdir(), "sfkit-bulk-"));
});
afterAll(async () => {
  await sf.close();
  await org.close();
  rmSync(dir, { recursive: true, force: true });
});

const widgets = (client: typeof sf) => client.bulk2.sobject("Widget__c");

function accounted(result: {
  jobs: { rowsUploaded: number }[];
  successful: unknown[];
  failed: unknown[];
  unprocessed: unknown[];
}) {
  const uploaded = result.jobs.reduce((n, j) => n + j.rowsUploaded, 0);
  expect(result.successful.length + result.failed.length + result.unprocessed.length).toBe(uploaded);
  return uploaded;
}

describe("Bulk 2.0 ingest", () => {
  it("inserts records and returns every row: successful with sf__Id and sf__Created", async () => {
    const result = await sf.bulk2.Account.insert({
      records: [{ Name: "Acme" }, { Name: "Globex", Phone: "555" }],
    });
    expect(result.jobs).toHaveLength(1);
    expect(result.jobs[0]).toMatchObject({
      state: "JobComplete",
      operation: "insert",
      object: "Account",
      rowsUploaded: 2,
    });
    expect(result.successful).toHaveLength(2);
    expect(result.successful[0]).toMatchObject({ sf__Created: "true", Name: "Acme", Phone: "" });
    expect(result.successful[0]!.sf__Id).toMatch(/^001\w{15}$/);
    expect(result.failed).toEqual([]);
    expect(result.unprocessed).toEqual([]);
    accounted(result);
    const stored = org.store.find("Account", result.successful[1]!.sf__Id);
    expect(stored).toMatchObject({ Name: "Globex", Phone: "555" });
  });

  it("F10: null clears a field (#N/A), a missing key leaves it unchanged, on the server", async () => {
    const a = org.insert("Account", { Name: "Null test", Phone: "111", Fax: "222" });
    const b = org.insert("Account", { Name: "Keep test", Phone: "333", Fax: "444" });
    const result = await sf.bulk2.Account.update({
      records: [
        { Id: a, Phone: null, Fax: "999" },
        { Id: b, Fax: "888" },
      ],
    });
    expect(result.failed).toEqual([]);
    expect(org.store.find("Account", a)).toMatchObject({ Fax: "999" });
    expect(org.store.find("Account", a)!.Phone).toBeUndefined();
    expect(org.store.find("Account", b)).toMatchObject({ Phone: "333", Fax: "888" });
  });

  it("F11: quotes, delimiters and newlines survive the round trip", async () => {
    const name = 'Clamp (1/4" wire), POM';
    const notes = 'line1\nline2\r\n"quoted", and | piped';
    for (const columnDelimiter of ["COMMA", "PIPE", "TAB"] as const) {
      const ext = `F11-${columnDelimiter}`;
      const result = await widgets(sf).insert({
        records: [{ Name: name, Notes__c: notes, Ext__c: ext }],
        columnDelimiter,
      });
      expect(result.failed).toEqual([]);
      expect(result.successful[0]).toMatchObject({ Name: name, Notes__c: notes });
      const stored = org.store.find("Widget__c", result.successful[0]!.sf__Id)!;
      expect(stored.Name).toBe(name);
      expect(stored.Notes__c).toBe(notes);
    }
  });

  it("rows that fail are results with sf__Error, and every input row is accounted for", async () => {
    const result = await sf.bulk2.Contact.insert({
      records: [
        { LastName: "Ok" },
        { FirstName: "NoLastName" },
        { LastName: "Bad email", Email: "nope" },
        { LastName: "Ok2" },
      ],
    });
    expect(accounted(result)).toBe(4);
    expect(result.successful.map((r) => r.LastName)).toEqual(["Ok", "Ok2"]);
    expect(result.failed).toEqual([
      {
        sf__Id: "",
        sf__Error: "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --",
        LastName: "",
        FirstName: "NoLastName",
        Email: "",
      },
      expect.objectContaining({
        sf__Error: expect.stringMatching(/^INVALID_EMAIL_ADDRESS:/),
        LastName: "Bad email",
      }),
    ]);
    expect(result.jobs[0]).toMatchObject({ numberRecordsProcessed: 4, numberRecordsFailed: 2 });
  });

  it("upserts on an external id (created true, then false) and resolves relationship columns", async () => {
    const thing = org.insert("Thing__c", { Name: "T", Code__c: "T-1" });
    const first = await widgets(sf).upsert({
      records: [
        { Ext__c: "U-1", Name: "one", Thing__r: { Code__c: "T-1" }, Size__c: 2.5, Due__c: "2024-02-03" },
      ],
      externalIdField: "Ext__c",
    });
    expect(first.successful[0]).toMatchObject({ sf__Created: "true" });
    const second = await widgets(sf).upsert({
      records: [
        {
          Ext__c: "U-1",
          Name: "one again",
          Seen__c: new Date(Date.UTC(2024, 1, 3, 4, 5, 6)),
          Active__c: true,
        },
        { Ext__c: "U-2", Name: "two", Thing__r: { Code__c: "missing" } },
      ],
      externalIdField: "Ext__c",
    });
    expect(second.successful).toEqual([expect.objectContaining({ sf__Created: "false", Ext__c: "U-1" })]);
    expect(second.failed[0]!.sf__Error).toMatch(/^INVALID_FIELD:Foreign key external ID: missing not found/);
    const stored = org.store.find("Widget__c", first.successful[0]!.sf__Id)!;
    expect(stored).toMatchObject({
      Name: "one again",
      Thing__c: thing,
      Size__c: 2.5,
      Due__c: "2024-02-03",
      Seen__c: "2024-02-03T04:05:06.000+0000",
      Active__c: true,
    });
    await expect(widgets(sf).upsert({ records: [{ Name: "x" }] } as never)).rejects.toThrow(
      /externalIdField/,
    );
  });

  it("deletes and hard-deletes", async () => {
    const a = org.insert("Account", { Name: "del" });
    const b = org.insert("Account", { Name: "hard" });
    const soft = await sf.bulk2.Account.delete({ records: [{ Id: a }] });
    expect(soft.successful).toEqual([{ sf__Id: a, sf__Created: "false", Id: a }]);
    expect(org.store.get(a)?.IsDeleted).toBe(true);
    const hard = await sf.bulk2.Account.hardDelete({ csv: `Id\n${b}\n` });
    expect(hard.successful).toHaveLength(1);
    expect(org.store.get(b)).toBeUndefined();
  });

  it("reads a CSV string, a file and a stream", async () => {
    const csv = "Name,Phone\nFromString,1\n";
    const fromString = await sf.bulk2.Account.insert({ csv });
    expect(fromString.successful[0]).toMatchObject({ Name: "FromString", Phone: "1" });
    const file = join(dir, "accounts.csv");
    writeFileSync(file, "Name,Phone\nFromFile,2\nFromFile,3\n");
    const fromFile = await sf.bulk2.Account.insert({ file });
    expect(fromFile.successful.map((r) => r.Phone)).toEqual(["2", "3"]);
    const fromStream = await sf.bulk2.Account.insert({
      stream: Readable.from(["Name,Ph", "one\nFromStream,4\n"]),
    });
    expect(fromStream.successful[0]).toMatchObject({ Name: "FromStream", Phone: "4" });
    await expect(sf.bulk2.Account.insert({ file: join(dir, "missing.csv") })).rejects.toThrow(
      ConfigurationError,
    );
    await expect(sf.bulk2.Account.insert({ file: join(dir, "missing.csv") })).rejects.toThrow(
      `file not found: ${join(dir, "missing.csv")} (from { file }).`,
    );
    await expect(sf.bulk2.Account.insert({ csv, file } as never)).rejects.toThrow(/exactly one data source/);
    expect(await sf.bulk2.Account.insert({ records: [] })).toEqual({
      jobs: [],
      successful: [],
      failed: [],
      unprocessed: [],
    });
  });

  it("F12: a CRLF file makes a CRLF job, and results are parsed with the job's line ending", async () => {
    const file = join(dir, "crlf.csv");
    writeFileSync(file, 'Name,Description\r\nCR1,"two\r\nlines"\r\nCR2,x\r\n');
    const progress: BulkProgress[] = [];
    const result = await sf.bulk2.Account.insert({ file, onProgress: (e) => progress.push(e) });
    expect(result.jobs[0]).toMatchObject({ lineEnding: "CRLF", state: "JobComplete" });
    expect(result.successful.map((r) => r.Description)).toEqual(["two\r\nlines", "x"]);
    const jobId = result.jobs[0]!.id;
    expect(progress).toContainEqual({
      type: "jobCreated",
      api: "bulk2",
      jobId,
      object: "Account",
      operation: "insert",
    });
    expect(progress).toContainEqual(expect.objectContaining({ type: "uploaded", jobId, rows: 2 }));
    expect(progress).toContainEqual(
      expect.objectContaining({ type: "state", jobId, state: "JobComplete", processed: 2 }),
    );
    expect(progress).toContainEqual({ type: "rows", api: "bulk2", jobId, kind: "successful", rows: 2 });
  });

  it("F12: the emulator fails a job whose data does not use the declared line ending", async () => {
    const { data: job } = await sf.request<{ id: string }>({
      method: "POST",
      path: "jobs/ingest",
      body: { object: "Account", operation: "insert", contentType: "CSV" },
    });
    await sf.request({
      method: "PUT",
      path: `jobs/ingest/${job.id}/batches`,
      headers: { "content-type": "text/csv" },
      body: "Name\r\nX\r\n",
    });
    await sf.request({ method: "PATCH", path: `jobs/ingest/${job.id}`, body: { state: "UploadComplete" } });
    const error = await sf.bulk2.resume(job.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkJobError);
    expect((error as BulkJobError).state).toBe("Failed");
    expect((error as BulkJobError).job.errorMessage).toBe(
      "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF",
    );
    const unprocessed = [];
    for await (const row of sf.bulk2.unprocessedRecords(job.id)) unprocessed.push(row);
    expect(unprocessed).toHaveLength(1);
  });

  it("an unclosed quote fails the job naming the line and row where the quote opened", async () => {
    // Over a megabyte, so the emulator reads it in several slices; a quoted line break in
    // row 1 makes file lines and rows differ by one.
    const rows = ["Name,Description", '"Multi","line one\nline two"'];
    for (let i = 2; i < 40_000; i++) rows.push(`Account ${i},plain description ${i}`);
    rows.push('"Broken,never closed', "After 1,x", "After 2,y");
    const error = await sf.bulk2.Account.insert({ csv: `${rows.join("\n")}\n` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkJobError);
    expect((error as BulkJobError).job.errorMessage).toBe(
      "ClientInputError : Unclosed quote: the quoted field opened on line 40002 (data row 40000) is never closed",
    );
  });

  it("a job that fails as a whole throws BulkJobError with the job info", async () => {
    const error = await sf.bulk2.Account.insert({ csv: "Name,Bogus__c\nX,1\n" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkJobError);
    const failure = error as BulkJobError;
    expect(failure.state).toBe("Failed");
    expect(failure.job).toMatchObject({
      state: "Failed",
      errorMessage: "InvalidBatch : Field name not found : Bogus__c",
    });
    expect(failure.message).toContain("InvalidBatch : Field name not found : Bogus__c");
    expect(failure.jobId).toBe(failure.job.id);
  });

  it("a job aborted while the call waits: BulkJobError names every job, and their rows still add up to the input", async () => {
    const control = await bulkControl(org);
    const records = Array.from({ length: 30 }, (_, i) => ({ Name: `Abort ${i}` }));
    control.pause();
    let aborting: Promise<unknown> | undefined;
    let error: unknown;
    try {
      error = await sf.bulk2.Account.insert({
        records,
        maxBytesPerJob: 120,
        onProgress: (event) => {
          if (event.type === "state" && !aborting) {
            aborting = sf.bulk2.abort(event.jobId).finally(() => control.resume());
          }
        },
      }).catch((e: unknown) => e);
    } finally {
      await aborting;
      control.resume();
    }
    expect(error).toBeInstanceOf(BulkJobError);
    const failure = error as BulkJobError;
    expect(failure.state).toBe("Aborted");
    expect(failure.jobs.length).toBeGreaterThan(2);
    let rows = 0;
    let unprocessed = 0;
    for (const job of failure.jobs) {
      const id = job.id as string;
      for await (const _ of sf.bulk2.successfulResults(id)) rows++;
      for await (const _ of sf.bulk2.failedResults(id)) rows++;
      for await (const _ of sf.bulk2.unprocessedRecords(id)) {
        rows++;
        unprocessed++;
      }
    }
    expect(rows).toBe(records.length);
    expect(unprocessed).toBeGreaterThan(0);
  });

  it("splits input above the upload limit into jobs, one upload each, never inside a quoted field", async () => {
    const records = Array.from({ length: 40 }, (_, i) => ({
      Name: `Split ${i}`,
      Description: i % 3 ? `plain ${i}` : `multi\nline, "${i}"`,
    }));
    const result = await sf.bulk2.Account.insert({ records, maxBytesPerJob: 200 });
    expect(result.jobs.length).toBeGreaterThan(3);
    expect(accounted(result)).toBe(40);
    expect(result.successful.map((r) => r.Name)).toEqual(records.map((r) => r.Name));
    expect(result.successful.map((r) => r.Description)).toEqual(records.map((r) => r.Description));
    const control = await bulkControl(org);
    for (const job of result.jobs) {
      const stored = control.v2.jobs.get(job.id)!;
      const uploaded = Buffer.concat("chunks" in stored ? (stored.chunks ?? []) : []);
      expect(uploaded.length).toBeLessThanOrEqual(200);
      expect(uploaded.toString().startsWith("Name,Description\n")).toBe(true);
    }
  });

  it("accepts one upload per job: a second PUT is refused as Salesforce does", async () => {
    const { data: job } = await sf.request<{ id: string }>({
      method: "POST",
      path: "jobs/ingest",
      body: { object: "Account", operation: "insert", contentType: "CSV", lineEnding: "LF" },
    });
    await sf.request({
      method: "PUT",
      path: `jobs/ingest/${job.id}/batches`,
      headers: { "content-type": "text/csv" },
      body: "Name\nA\n",
    });
    const error = await sf
      .request({
        method: "PUT",
        path: `jobs/ingest/${job.id}/batches`,
        headers: { "content-type": "text/csv" },
        body: "Name\nB\n",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceMalformedRequest);
    expect((error as SalesforceMalformedRequest).errorCode).toBe("BULK_API_ERROR");
    expect((error as Error).message).toContain(`Found multiple contents for job: <${job.id}>`);
    await sf.bulk2.abort(job.id);
  });

  it("F15: a client-side time-out returns the job ids and leaves the jobs running; resume reads the results", async () => {
    const control = await bulkControl(org);
    control.pause();
    let error: unknown;
    try {
      error = await sf.bulk2.Account.insert({
        records: [{ Name: "Slow 1" }, { Name: "Slow 2" }],
        pollTimeout: 60,
      }).catch((e: unknown) => e);
    } finally {
      control.resume();
    }
    expect(error).toBeInstanceOf(BulkPollingTimeoutError);
    const timeout = error as BulkPollingTimeoutError;
    expect(timeout.jobIds).toHaveLength(1);
    expect(timeout.message).toContain(timeout.jobId);
    expect(timeout.message).toContain("resume");
    const state = control.v2.jobs.get(timeout.jobId)!.state;
    expect(["UploadComplete", "InProgress", "JobComplete"]).toContain(state);
    const resumed = await sf.bulk2.resume(timeout.jobId);
    expect(resumed.successful.map((r) => r.Name)).toEqual(["Slow 1", "Slow 2"]);
    expect(resumed.jobs[0]).toMatchObject({ state: "JobComplete", rowsUploaded: 2 });
  });

  it("results modes: 'failed' reads only failures, 'none' only counts", async () => {
    const failedOnly = await sf.bulk2.Contact.insert({
      records: [{ LastName: "a" }, { FirstName: "b" }],
      results: "failed",
    });
    expect(failedOnly.successful).toEqual([]);
    expect(failedOnly.failed).toHaveLength(1);
    const none = await sf.bulk2.Contact.insert({ records: [{ LastName: "a" }], results: "none" });
    expect(none).toMatchObject({ successful: [], failed: [], unprocessed: [] });
    expect(none.jobs[0]).toMatchObject({ numberRecordsProcessed: 1, numberRecordsFailed: 0 });
    const streamed = [];
    for await (const row of sf.bulk2.successfulResults(none.jobs[0]!.id)) streamed.push(row);
    expect(streamed).toEqual([expect.objectContaining({ sf__Created: "true", LastName: "a" })]);
  });

  it("a session that expires mid-job is refreshed once and the job completes", async () => {
    const lines: string[] = [];
    const { client, logins } = refreshingClientFor(org, {}, (line) => lines.push(line));
    org.faults.next({ method: "GET", path: /jobs\/ingest\/750/, expireSession: true });
    const result = await client.bulk2.Account.insert({ records: [{ Name: "Refresh 1" }] });
    expect(result.successful).toHaveLength(1);
    expect(logins()).toBe(2);
    expect(lines.join("\n")).toContain("session expired");
    for (const session of org.sessions.list()) expect(lines.join("\n")).not.toContain(session.token);
    await client.close();
  });

  it("an upload refused for an expired session is redone once on a new job (records, files)", async () => {
    const { client, logins } = refreshingClientFor(org);
    org.faults.next({ method: "PUT", path: /jobs\/ingest\/750\w+\/batches/, expireSession: true });
    const single = await client.bulk2.Account.insert({ records: [{ Name: "Re-upload 1" }] });
    expect(single.successful.map((r) => r.Name)).toEqual(["Re-upload 1"]);
    expect(single.jobs).toHaveLength(1);
    expect(logins()).toBe(2);
    // expire the session on the second of three uploads
    const file = join(dir, "reupload.csv");
    writeFileSync(file, `Name\n${Array.from({ length: 6 }, (_, i) => `Part ${i}`).join("\n")}\n`);
    let uploads = 0;
    const split = await client.bulk2.Account.insert({
      file,
      maxRowsPerJob: 2,
      onProgress: (e) => {
        if (e.type === "uploaded" && ++uploads === 1) {
          org.faults.next({ method: "PUT", path: /jobs\/ingest\/750\w+\/batches/, expireSession: true });
        }
      },
    });
    expect(split.jobs.map((j) => j.rowsUploaded)).toEqual([2, 2, 2]);
    expect(split.successful.map((r) => r.Name)).toEqual(Array.from({ length: 6 }, (_, i) => `Part ${i}`));
    expect(logins()).toBe(3);
    // a stream cannot be read twice: the expiry is reported, and the open job is aborted
    org.faults.next({ method: "PUT", path: /jobs\/ingest\/750\w+\/batches/, expireSession: true });
    const error = await client.bulk2.Account.insert({ stream: Readable.from(["Name\nS\n"]) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SalesforceExpiredSession);
    const abortedJob = (error as { jobs: { id: string }[] }).jobs[0]!;
    expect((await client.bulk2.job(abortedJob.id)).state).toBe("Aborted");
    await client.close();
  });

  it("loads 100,000 rows with every row accounted for", async () => {
    const records = Array.from({ length: 100_000 }, (_, i) => ({
      Name: `Load ${i}`,
      Code__c: i % 10_000 === 7 ? "x".repeat(41) : `L-${i}`,
    }));
    const result = await sf.bulk2.sobject("Thing__c").insert({ records, results: "failed" });
    expect(result.jobs[0]).toMatchObject({
      state: "JobComplete",
      numberRecordsProcessed: 100_000,
      numberRecordsFailed: 10,
    });
    expect(result.failed).toHaveLength(10);
    expect(result.failed[0]!.sf__Error).toMatch(/^STRING_TOO_LONG:/);
    expect(result.jobs.reduce((n, j) => n + j.rowsUploaded, 0)).toBe(100_000);
  }, 60_000);
});

describe("Bulk 2.0 query", () => {
  it("streams rows across pages following Sforce-Locator until null", async () => {
    for (let i = 0; i < 25; i++)
      org.insert("Thing__c", { Name: `Q${String(i).padStart(2, "0")}`, Code__c: `Q-${i}` });
    const rows = [];
    const progress: BulkProgress[] = [];
    for await (const row of sf.bulk2
      .sobject("Thing__c")
      .query("SELECT Name, Code__c FROM Thing__c WHERE Name LIKE 'Q%' ORDER BY Name", {
        maxRecords: 10,
        onProgress: (e) => progress.push(e),
      })) {
      rows.push(row);
    }
    expect(rows).toHaveLength(25);
    expect(rows[0]).toEqual({ Name: "Q00", Code__c: "Q-0" });
    expect(rows[24]).toEqual({ Name: "Q24", Code__c: "Q-24" });
    expect(progress.filter((e) => e.type === "rows").map((e) => (e as { rows: number }).rows)).toEqual([
      10, 20, 25,
    ]);
  });

  it("stops early without reading the rest, and handles zero rows (F14)", async () => {
    let seen = 0;
    for await (const _ of sf.bulk2.sobject("Thing__c").query("SELECT Id FROM Thing__c", { maxRecords: 5 })) {
      seen++;
      if (seen === 3) break;
    }
    expect(seen).toBe(3);
    const none = [];
    for await (const row of sf.bulk2.Account.query("SELECT Id FROM Account WHERE Name = 'no such account'"))
      none.push(row);
    expect(none).toEqual([]);
  });

  it("stops with SalesforceAbortError at the next row once the caller aborts, even mid-page", async () => {
    for (let i = 0; i < 6; i++) org.insert("Thing__c", { Name: `AB${i}`, Code__c: `AB-${i}` });
    const caller = new AbortController();
    let seen = 0;
    const reading = (async () => {
      for await (const _ of sf.bulk2
        .sobject("Thing__c")
        .query("SELECT Id FROM Thing__c WHERE Name LIKE 'AB%'", { signal: caller.signal })) {
        seen++;
        if (seen === 3) caller.abort();
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(SalesforceAbortError);
    expect(seen).toBe(3);
  });

  it("queryAll includes deleted rows; a bad query is a typed error", async () => {
    const id = org.insert("Account", { Name: "Gone soon" });
    org.store.delete("Account", id);
    const live = [];
    for await (const row of sf.bulk2.Account.query("SELECT Id FROM Account WHERE Name = 'Gone soon'"))
      live.push(row);
    const all = [];
    for await (const row of sf.bulk2.Account.queryAll(
      "SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone soon'",
    ))
      all.push(row);
    expect(live).toEqual([]);
    expect(all).toEqual([{ Id: id, IsDeleted: "true" }]);
    const iterator = sf.bulk2.Account.query("SELECT Nope__c FROM Account");
    await expect(iterator.next()).rejects.toBeInstanceOf(SalesforceMalformedRequest);
  });

  it("a query that outlasts pollTimeout gives its job id; resumeQuery streams it later; deleteJob removes it", async () => {
    org.insert("Thing__c", { Name: "RQ1" });
    const control = await bulkControl(org);
    control.pause();
    let error: unknown;
    try {
      const iterator = sf.bulk2
        .sobject("Thing__c")
        .query("SELECT Name FROM Thing__c WHERE Name = 'RQ1'", { pollTimeout: 40 });
      error = await iterator.next().catch((e: unknown) => e);
    } finally {
      control.resume();
    }
    expect(error).toBeInstanceOf(BulkPollingTimeoutError);
    const { jobId } = error as BulkPollingTimeoutError;
    expect(["UploadComplete", "InProgress", "JobComplete"]).toContain(control.v2.jobs.get(jobId)!.state);
    const rows = [];
    for await (const row of sf.bulk2.resumeQuery(jobId)) rows.push(row);
    expect(rows).toEqual([{ Name: "RQ1" }]);
    expect(await sf.bulk2.queryJob(jobId)).toMatchObject({
      id: jobId,
      state: "JobComplete",
      jobType: "V2Query",
      numberRecordsProcessed: 1,
    });
    await sf.bulk2.deleteJob(jobId, "query");
    expect(control.v2.jobs.has(jobId)).toBe(false);
    await expect(sf.bulk2.job("not-an-id")).rejects.toThrow(ConfigurationError);
  });

  it("uses another delimiter and line ending for both the job and the parsing", async () => {
    const rows = [];
    for await (const row of sf.bulk2
      .sobject("Thing__c")
      .query("SELECT Name, Code__c FROM Thing__c WHERE Name = 'Q01'", {
        columnDelimiter: "SEMICOLON",
        lineEnding: "CRLF",
      })) {
      rows.push(row);
    }
    expect(rows).toEqual([{ Name: "Q01", Code__c: "Q-1" }]);
  });
});

describe("secrets", () => {
  it("no error or job info carries the session id", async () => {
    const token = org.sessions.list().at(-1)!.token;
    const error = await sf.bulk2.Account.insert({ csv: "Name,Bogus__c\nX,1\n" }).catch((e: unknown) => e);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(String((error as Error).message)).not.toContain(token);
    expect(String((error as Error).stack)).not.toContain(token);
  });
});

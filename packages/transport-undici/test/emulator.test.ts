import {
  type Client,
  SalesforceConnectionError,
  SalesforceResourceNotFound,
  createClient,
} from "@sfkit/core";
import { type Org, startEmulator } from "@sfkit/emulator";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { undiciTransport } from "../src/index.js";

let org: Org;
let token: string;
let sf: Client;

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  token = org.sessions.create(org.users[0]!).token;
  sf = createClient({ transport: undiciTransport(), instanceUrl: org.url, sessionId: token });
});
afterAll(async () => {
  await sf.close();
  await org.close();
});

describe("the real client over undici against the emulator", () => {
  it("creates, reads, queries and deletes records", async () => {
    const created = await sf.request<{ id: string; success: boolean }>({
      method: "POST",
      path: "sobjects/Account",
      body: { Name: "Undici & Sons" },
    });
    expect(created).toMatchObject({ status: 201, data: { success: true } });
    const id = created.data.id;
    const record = await sf.request<{ Name: string }>({ path: `sobjects/Account/${id}` });
    expect(record.data.Name).toBe("Undici & Sons");
    const query = await sf.request<{ totalSize: number; records: Array<{ Id: string }> }>({
      path: "query",
      query: { q: "SELECT Id, Name FROM Account WHERE Name = 'Undici & Sons'" },
    });
    expect(query.data.records.map((r) => r.Id)).toEqual([id]);
    const removed = await sf.request({ method: "DELETE", path: `sobjects/Account/${id}` });
    expect(removed).toMatchObject({ status: 204, data: null });
    await expect(sf.request({ path: `sobjects/Account/${id}` })).rejects.toBeInstanceOf(
      SalesforceResourceNotFound,
    );
    expect(sf.apiUsage?.limit).toBe(15000);
  });

  it("calls Apex REST, JSON in and out", async () => {
    org.apex.route("POST", "/User/Activity", (req) => ({ received: req.body, user: req.userId }));
    const { data } = await sf.request({
      method: "POST",
      path: "/services/apexrest/User/Activity",
      body: { a: 1 },
    });
    expect(data).toEqual({ received: { a: 1 }, user: org.users[0]!.userId });
  });

  it("reuses its connections: a loop of 40 calls opens one (org.stats)", async () => {
    const client = createClient({ transport: undiciTransport(), instanceUrl: org.url, sessionId: token });
    const before = org.stats.connections;
    for (let i = 0; i < 40; i++) await client.request({ path: "limits" });
    expect(org.stats.connections - before).toBe(1);
    await Promise.all(Array.from({ length: 10 }, () => client.request({ path: "limits" })));
    expect(org.stats.connections - before).toBeLessThanOrEqual(10);
    const opened = org.stats.connections - before;
    const open = org.stats.openConnections;
    await client.close();
    // close() ends every connection of the client: the emulator sees them all go
    while (org.stats.openConnections > open - opened) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(org.stats.openConnections).toBe(open - opened);
  });

  it("a dropped connection on a GET is retried by core; a body cut in half is a connection error", async () => {
    org.faults.next({ path: "/limits", drop: "before-response" });
    await expect(sf.request({ path: "limits" })).resolves.toMatchObject({ status: 200 });
    org.faults.next({ path: "/sobjects/Account/describe", drop: "mid-body", times: 10 });
    const once = createClient({
      transport: undiciTransport(),
      instanceUrl: org.url,
      sessionId: token,
      retry: false,
    });
    await expect(
      once.request({ path: "sobjects/Account/describe", headers: { "accept-encoding": "identity" } }),
    ).rejects.toBeInstanceOf(SalesforceConnectionError);
    await once.close();
  });
});

describe("a streamed Bulk 2.0 upload over undici", () => {
  it("arrives whole: records cut across chunk boundaries are all processed, bytes and order intact", async () => {
    const rows = 20_000;
    const header = "FirstName,LastName,Email,Description\n";
    const row = (i: number) =>
      `First${i},Streamed${i},streamed${i}@example.com,${i % 1000 === 0 ? '"with, a comma"' : `row ${i}`}\n`;
    const csv = Buffer.from(header + Array.from({ length: rows }, (_, i) => row(i + 1)).join(""));
    // Odd-sized pieces, so that records straddle the chunks of the chunked upload.
    const pieces = function* () {
      for (let at = 0; at < csv.length; at += 7_777) yield csv.subarray(at, at + 7_777);
    };
    const job = (
      await sf.request<{ id: string }>({
        method: "POST",
        path: "jobs/ingest",
        body: { object: "Contact", operation: "insert", contentType: "CSV", lineEnding: "LF" },
      })
    ).data;
    const upload = await sf.request({
      method: "PUT",
      path: `jobs/ingest/${job.id}/batches`,
      headers: { "content-type": "text/csv" },
      body: Readable.from(pieces(), { objectMode: false }),
    });
    expect(upload.status).toBe(201);
    await sf.request({ method: "PATCH", path: `jobs/ingest/${job.id}`, body: { state: "UploadComplete" } });
    let info: { state: string; numberRecordsProcessed: number; numberRecordsFailed: number };
    for (;;) {
      info = (await sf.request<typeof info>({ path: `jobs/ingest/${job.id}` })).data;
      if (info.state === "JobComplete" || info.state === "Failed") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(info).toMatchObject({
      state: "JobComplete",
      numberRecordsProcessed: rows,
      numberRecordsFailed: 0,
    });
    const results = (
      await sf.request<string>({ path: `jobs/ingest/${job.id}/successfulResults`, responseType: "text" })
    ).data.trimEnd();
    const lines = results.split("\n");
    expect(lines).toHaveLength(rows + 1);
    expect(lines[1]).toContain('"First1","Streamed1","streamed1@example.com","row 1"');
    expect(lines[1000]).toContain('"streamed1000@example.com","with, a comma"');
    expect(lines[rows]).toContain(
      `"First${rows}","Streamed${rows}","streamed${rows}@example.com","with, a comma"`,
    );
  });
});

describe("over HTTPS with the emulator's certificate", () => {
  it("trusts the CA given to the client", async () => {
    const secure = await startEmulator({ port: 0, https: true });
    const client = createClient({
      transport: undiciTransport(),
      instanceUrl: secure.url,
      sessionId: secure.sessions.create(secure.users[0]!).token,
      ca: secure.ca,
    });
    await expect(client.request({ path: "limits" })).resolves.toMatchObject({ status: 200 });
    await client.close();
    await secure.close();
  });
});

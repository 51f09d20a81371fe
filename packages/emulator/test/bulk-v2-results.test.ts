// Bulk 2.0 ingest result files: each lists exactly the rows of its kind, and a kind with no
// rows answers with the header alone (without re-reading the whole upload).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { bulkOf } from "../src/bulk/index.js";
import { call } from "./helpers.js";

const V = "/services/data/v62.0";
let org: Org;
let token: string;

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  token = org.sessions.create(org.users[0]!).token;
});
afterAll(async () => {
  await org.close();
});

async function ingest(csv: string, close = true): Promise<string> {
  const job = await call(org, `${V}/jobs/ingest`, {
    method: "POST",
    token,
    body: { object: "Contact", operation: "insert", lineEnding: "LF" },
  });
  const id = job.json.id as string;
  const put = await call(org, `${V}/jobs/ingest/${id}/batches`, {
    method: "PUT",
    token,
    body: csv,
    headers: { "Content-Type": "text/csv" },
  });
  expect(put.status).toBe(201);
  if (close) {
    await call(org, `${V}/jobs/ingest/${id}`, { method: "PATCH", token, body: { state: "UploadComplete" } });
    for (let i = 0; i < 200; i++) {
      const info = await call(org, `${V}/jobs/ingest/${id}`, { token });
      if (info.json.state === "JobComplete") break;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  return id;
}

const lines = (text: string) => text.split("\n").filter(Boolean);

describe("Bulk 2.0 ingest results", () => {
  it("answers a kind with no rows with the header alone", async () => {
    const id = await ingest("LastName,Email\nA,a@example.com\nB,b@example.com\nC,c@example.com\n");
    const ok = await call(org, `${V}/jobs/ingest/${id}/successfulResults`, { token });
    expect(lines(ok.text)).toHaveLength(4);
    expect(lines(ok.text)[0]).toBe('"sf__Id","sf__Created","LastName","Email"');
    const failed = await call(org, `${V}/jobs/ingest/${id}/failedResults`, { token });
    expect(lines(failed.text)).toEqual(['"sf__Id","sf__Error","LastName","Email"']);
    const unprocessed = await call(org, `${V}/jobs/ingest/${id}/unprocessedrecords`, { token });
    expect(lines(unprocessed.text)).toEqual(['"LastName","Email"']);
  });

  it("lists only the failed rows, the last one included", async () => {
    const id = await ingest("LastName,Email\nA,a@example.com\nB,not-an-email\n");
    const failed = await call(org, `${V}/jobs/ingest/${id}/failedResults`, { token });
    expect(lines(failed.text)).toHaveLength(2);
    expect(lines(failed.text)[1]).toContain('"B","not-an-email"');
    const ok = await call(org, `${V}/jobs/ingest/${id}/successfulResults`, { token });
    expect(lines(ok.text)).toHaveLength(2);
  });

  it("lists every row as unprocessed when the job was aborted before processing", async () => {
    bulkOf(org).pause();
    try {
      const id = await ingest("LastName\nA\nB\n", false);
      await call(org, `${V}/jobs/ingest/${id}`, { method: "PATCH", token, body: { state: "Aborted" } });
      const unprocessed = await call(org, `${V}/jobs/ingest/${id}/unprocessedrecords`, { token });
      expect(lines(unprocessed.text)).toEqual(['"LastName"', '"A"', '"B"']);
    } finally {
      bulkOf(org).resume();
    }
  });
});

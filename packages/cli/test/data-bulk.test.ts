import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./support/cli.js";
import { expectNoSecrets, startTestOrg, type TestOrg } from "./support/org.js";

let org: TestOrg;
let dir: string;
const FAST = { SFKIT_POLL_INTERVAL_MS: "20" };

beforeAll(async () => {
  org = await startTestOrg({ seed: "empty" });
  dir = tempDir("sfkit-bulk-");
});
afterAll(() => org.close());

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const sfkit = (args: string[]) => org.sfkit(args, { cwd: dir, env: FAST });

describe.each(["2", "1"])("sfkit data import bulk --api %s", (api) => {
  it("loads every row and writes the success file (exit 0)", async () => {
    const csv = file(
      `ok-${api}.csv`,
      'FirstName,LastName,Email\nAda,Lovelace,ada@x.test\nAlan,"Turing, A.",alan@x.test\n',
    );
    const result = await sfkit([
      "data",
      "import",
      "bulk",
      "-s",
      "Contact",
      "-f",
      csv,
      "--api",
      api,
      "--json",
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const doc = result.json();
    expect(doc).toMatchObject({
      status: 0,
      result: {
        api,
        operation: "insert",
        sobject: "Contact",
        processed: 2,
        successful: 2,
        failed: 0,
        failures: [],
      },
    });
    expect(doc.result.jobId).toMatch(/^750/);
    const success = readFileSync(doc.result.successFile, "utf8");
    expect(success.split("\n")[0]).toMatch(/^sf__Id,sf__Created,/);
    expect(success).toContain('"Turing, A."');
    expectNoSecrets(result, org.secrets);
  });

  it("exits 1 when any row fails, lists the failures in --json and writes the failure file (F26)", async () => {
    const csv = file(`partial-${api}.csv`, "FirstName,LastName\nGrace,Hopper\nNo,\nKatherine,Johnson\n");
    const result = await sfkit([
      "data",
      "import",
      "bulk",
      "-s",
      "Contact",
      "-f",
      csv,
      "--api",
      api,
      "--json",
    ]);
    expect(result.code).toBe(1);
    const doc = result.json();
    expect(doc).toMatchObject({ status: 1, exitCode: 1, code: "ERR_ROWS_FAILED", name: "CliError" });
    expect(doc.message).toContain("1 of 3 rows failed");
    expect(doc.data).toMatchObject({ processed: 3, successful: 2, failed: 1 });
    expect(doc.data.failures).toHaveLength(1);
    expect(doc.data.failures[0].sf__Error).toContain("REQUIRED_FIELD_MISSING");
    expect(doc.data.failures[0].FirstName).toBe("No");
    const failed = readFileSync(doc.data.failureFile, "utf8");
    expect(failed.split("\n")[0]).toMatch(/^sf__Id,sf__Error,/);
    expect(failed).toContain("REQUIRED_FIELD_MISSING");
  });

  it("prints a human summary with the failed rows and exits 1", async () => {
    const csv = file(`human-${api}.csv`, "LastName,FirstName\nOne,A\n,B\n");
    const result = await sfkit(["data", "import", "bulk", "-s", "Contact", "-f", csv, "--api", api]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Processed 2: 1 successful, 1 failed.");
    expect(result.stdout).toContain("REQUIRED_FIELD_MISSING");
    expect(result.stdout).toMatch(/Failed rows: .*-failed-records\.csv/);
    expect(result.stderr).toMatch(/^Error \(CliError\): 1 of 2 rows failed/);
  });
});

describe("sfkit data <op> bulk", () => {
  it("rejects a bad CSV with the line number, before sending anything (exit 2)", async () => {
    const before = (await org.sfkit(["data", "query", "SELECT COUNT() FROM Contact", "--json"])).json().result
      .totalSize;
    const cases: Array<[string, string, RegExp]> = [
      [
        "short.csv",
        "FirstName,LastName\nA,B\nC\nD,E\n",
        /short\.csv line 3: 1 field, but the header has 2\. Nothing was sent\./,
      ],
      ["quote.csv", 'LastName\n"open\nB\n', /quote\.csv line 2: a quoted field is never closed/],
      ["dup.csv", "LastName,lastname\nA,B\n", /dup\.csv line 1: the header names lastname twice/],
      ["empty.csv", "", /empty\.csv: the file is empty/],
      ["blank.csv", "LastName,FirstName\nA,B\n\nC,D\n", /blank\.csv line 3: empty line inside the data/],
    ];
    for (const [name, text, message] of cases) {
      const result = await sfkit(["data", "import", "bulk", "-s", "Contact", "-f", file(name, text)]);
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toMatch(message);
    }
    const missing = await sfkit(["data", "import", "bulk", "-s", "Contact", "-f", "nope.csv", "--json"]);
    expect(missing.code).toBe(2);
    expect(missing.json()).toMatchObject({ name: "ConfigurationError", code: "ERR_FILE_NOT_FOUND" });
    expect(missing.json().message).toContain("file not found: nope.csv (from --file)");
    expect(missing.json().message).not.toContain("ENOENT");
    const noId = await sfkit([
      "data",
      "update",
      "bulk",
      "-s",
      "Contact",
      "-f",
      file("noid.csv", "LastName\nA\n"),
    ]);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain("the header has no Id column");
    const after = (await org.sfkit(["data", "query", "SELECT COUNT() FROM Contact", "--json"])).json().result
      .totalSize;
    expect(after).toBe(before);
  });

  it("updates, upserts and deletes from CSV files", async () => {
    const inserted = await sfkit([
      "data",
      "import",
      "bulk",
      "-s",
      "Account",
      "-f",
      file("acc.csv", "Name\nU1\nU2\n"),
      "--json",
    ]);
    const ids = readFileSync(inserted.json().result.successFile, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0]);
    expect(ids).toHaveLength(2);
    const update = await sfkit([
      "data",
      "update",
      "bulk",
      "-s",
      "Account",
      "-f",
      file("upd.csv", `Id,Phone\n${ids[0]},111\n${ids[1]},222\n`),
      "--json",
    ]);
    expect(update.code, update.stdout).toBe(0);
    const upsert = await sfkit([
      "data",
      "upsert",
      "bulk",
      "-s",
      "Account",
      "-e",
      "Id",
      "-f",
      file("ups.csv", `Id,Phone\n${ids[0]},333\n`),
      "--json",
    ]);
    expect(upsert.code, upsert.stdout).toBe(0);
    const phones = (
      await org.sfkit(["data", "query", "SELECT Phone FROM Account ORDER BY Name", "-r", "csv"])
    ).stdout;
    expect(phones).toBe("Phone\n333\n222\n");
    const del = await sfkit([
      "data",
      "delete",
      "bulk",
      "-s",
      "Account",
      "-f",
      file("del.csv", `Id\n${ids[0]}\n${ids[1]}\n`),
      "--api",
      "1",
    ]);
    expect(del.code, del.stdout + del.stderr).toBe(0);
    expect(
      (await org.sfkit(["data", "query", "SELECT COUNT() FROM Account", "--json"])).json().result.totalSize,
    ).toBe(0);
  });

  it("exports a query to CSV and JSON files", async () => {
    await sfkit([
      "data",
      "import",
      "bulk",
      "-s",
      "Lead",
      "-f",
      file("leads.csv", 'LastName,Company\nOne,"A, Inc."\nTwo,B\n'),
    ]);
    const csv = await sfkit([
      "data",
      "export",
      "bulk",
      "-q",
      "SELECT LastName, Company FROM Lead ORDER BY LastName",
      "--output-file",
      "out.csv",
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toContain("Exported 2 Lead records");
    expect(readFileSync(join(dir, "out.csv"), "utf8")).toBe('LastName,Company\nOne,"A, Inc."\nTwo,B\n');
    const json = await sfkit([
      "data",
      "export",
      "bulk",
      "-q",
      "SELECT LastName FROM Lead ORDER BY LastName",
      "--output-file",
      "out.json",
      "--json",
    ]);
    expect(json.json().result).toMatchObject({ records: 2, format: "json" });
    expect(JSON.parse(readFileSync(join(dir, "out.json"), "utf8"))).toEqual([
      { LastName: "One" },
      { LastName: "Two" },
    ]);
  });

  it("streams a bulk query to stdout with --bulk", async () => {
    const result = await sfkit([
      "data",
      "query",
      "SELECT LastName FROM Lead ORDER BY LastName",
      "--bulk",
      "-r",
      "csv",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("LastName\nOne\nTwo\n");
  });

  it("resumes the most recent job and reports it the same way", async () => {
    const csv = file("resume.csv", "LastName,FirstName\nR1,A\n,B\n");
    const first = await sfkit(["data", "import", "bulk", "-s", "Contact", "-f", csv, "--json"]);
    expect(first.code).toBe(1);
    const jobId = first.json().data.jobId;
    const resumed = await sfkit(["data", "resume", "--use-most-recent", "--json"]);
    expect(resumed.code).toBe(1);
    expect(resumed.json()).toMatchObject({
      code: "ERR_ROWS_FAILED",
      data: { jobId, successful: 1, failed: 1 },
    });
    const byId = await sfkit(["data", "resume", "--job-id", jobId]);
    expect(byId.code).toBe(1);
    expect(byId.stdout).toContain("1 successful, 1 failed");
  });

  it("resumes a Bulk API 1.0 job", async () => {
    const first = await sfkit([
      "data",
      "import",
      "bulk",
      "-s",
      "Contact",
      "-f",
      file("r1.csv", "LastName,FirstName\nV1,A\n,B\n"),
      "--api",
      "1",
      "--json",
    ]);
    expect(first.code).toBe(1);
    const resumed = await sfkit(["data", "resume", "--use-most-recent", "--json"]);
    expect(resumed.code, resumed.stdout).toBe(1);
    expect(resumed.json().data).toMatchObject({
      api: "1",
      jobId: first.json().data.jobId,
      successful: 1,
      failed: 1,
    });
    expect(resumed.json().data.failures[0]).toMatchObject({
      sf__Row: 2,
      sf__Error: expect.stringContaining("REQUIRED_FIELD_MISSING"),
    });
  });

  it("prints the job id and how to resume when the wait runs out, in --json too (F26)", async () => {
    // The job stays "InProgress" for every status check: the wait (0 minutes) runs out.
    org.emulator.faults.next({
      path: /jobs\/ingest\/750\w+$/,
      method: "GET",
      status: 200,
      body: {
        id: "750000000000000AAA",
        state: "InProgress",
        object: "Contact",
        operation: "insert",
        numberRecordsProcessed: 0,
        numberRecordsFailed: 0,
      },
      times: 1000,
    });
    const csv = file("slow.csv", "LastName\nS1\n");
    const result = await sfkit([
      "data",
      "import",
      "bulk",
      "-s",
      "Contact",
      "-f",
      csv,
      "--wait",
      "0",
      "--json",
    ]);
    org.emulator.faults.clear();
    expect(result.code, result.stdout).toBe(1);
    expect(result.json()).toMatchObject({
      code: "ERR_WAIT_EXPIRED",
      data: {
        jobId: expect.stringMatching(/^750/),
        resume: [expect.stringContaining("sfkit data resume --job-id 750")],
      },
    });
  });

  it("exits 1 with one JSON document when the request itself fails (F26: ExceededQuota)", async () => {
    org.emulator.faults.next({
      path: /jobs\/ingest$/,
      method: "POST",
      status: 400,
      body: [{ errorCode: "ExceededQuota", message: "ApiBatchItems Limit exceeded." }],
    });
    const result = await sfkit([
      "data",
      "delete",
      "bulk",
      "-s",
      "Contact",
      "-f",
      file("quota.csv", "Id\n003000000000001AAA\n"),
      "--json",
    ]);
    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({
      status: 1,
      exitCode: 1,
      code: "ExceededQuota",
      message: expect.stringContaining("ApiBatchItems Limit exceeded."),
    });
    const human = await (async () => {
      org.emulator.faults.next({
        path: /jobs\/ingest$/,
        method: "POST",
        status: 400,
        body: [{ errorCode: "ExceededQuota", message: "ApiBatchItems Limit exceeded." }],
      });
      return sfkit(["data", "delete", "bulk", "-s", "Contact", "-f", "quota.csv"]);
    })();
    expect(human.code).toBe(1);
    expect(human.stderr).toContain("ExceededQuota");
  });

  it("on Ctrl-C, stops waiting (exit 130) and prints the job id that keeps running", async () => {
    org.emulator.faults.next({
      path: /jobs\/ingest\/750\w+$/,
      method: "GET",
      status: 200,
      body: {
        id: "750000000000000AAA",
        state: "InProgress",
        object: "Contact",
        operation: "insert",
        numberRecordsProcessed: 0,
        numberRecordsFailed: 0,
      },
      times: 1000,
    });
    const controller = new AbortController();
    const running = org.sfkit(
      ["data", "import", "bulk", "-s", "Contact", "-f", file("int.csv", "LastName\nI1\n"), "--json"],
      {
        cwd: dir,
        env: FAST,
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(), 300);
    const result = await running;
    org.emulator.faults.clear();
    expect(result.code).toBe(130);
    expect(result.json()).toMatchObject({
      status: 130,
      code: "ERR_INTERRUPTED",
      data: {
        jobId: expect.stringMatching(/^750/),
        resume: [expect.stringContaining("sfkit data resume --job-id 750")],
      },
    });
  });

  it("leaves no result files when told to write them elsewhere", async () => {
    const out = join(dir, "results");
    const result = await sfkit([
      "data",
      "import",
      "bulk",
      "-s",
      "Contact",
      "-f",
      file("rd.csv", "LastName\nX\n"),
      "--results-dir",
      "results",
      "--json",
    ]);
    expect(result.code).toBe(0);
    expect(result.json().result.successFile.startsWith(out)).toBe(true);
    expect(existsSync(result.json().result.successFile)).toBe(true);
  });
});

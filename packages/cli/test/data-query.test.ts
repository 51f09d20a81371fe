import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./support/cli.js";
import { expectNoSecrets, startTestOrg, type TestOrg } from "./support/org.js";

let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg({
    seed: (o) => {
      const acme = o.store.insert("Account", {
        Name: 'Acme "Rockets", Inc.',
        Industry: "Aerospace",
        Phone: "555-0100",
      });
      const globex = o.store.insert("Account", { Name: "Globex\nCorporation", Industry: null, Phone: null });
      o.store.insert("Contact", {
        FirstName: "Wile",
        LastName: "Coyote",
        Email: "wile@acme.test",
        AccountId: acme,
      });
      o.store.insert("Contact", { FirstName: "Hank", LastName: "Scorpio", Email: null, AccountId: globex });
      o.store.insert("Contact", { FirstName: null, LastName: "Nobody", Email: "n@x.test" });
      for (let i = 0; i < 450; i++)
        o.store.insert("Lead", { LastName: `Lead ${String(i).padStart(3, "0")}`, Company: "Bulk Co" });
    },
  });
});
afterAll(() => org.close());

const CONTACTS = "SELECT LastName, Email, Account.Name, Account.Industry FROM Contact ORDER BY LastName";

describe("sfkit data query", () => {
  it("prints a human table with relationship fields flattened", async () => {
    const result = await org.sfkit(["data", "query", CONTACTS]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatchInlineSnapshot(`
      "LastName  Email           Account.Name          Account.Industry
      ────────  ──────────────  ────────────────────  ────────────────
      Coyote    wile@acme.test  Acme "Rockets", Inc.  Aerospace
      Nobody    n@x.test
      Scorpio                   Globex⏎Corporation
      Total number of records retrieved: 3.
      "
    `);
    expectNoSecrets(result, org.secrets);
  });

  it("prints CSV: quotes doubled, fields with commas or line breaks quoted, nulls as empty cells", async () => {
    const result = await org.sfkit(["data", "query", CONTACTS, "--result-format", "csv"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "LastName,Email,Account.Name,Account.Industry",
        'Coyote,wile@acme.test,"Acme ""Rockets"", Inc.",Aerospace',
        "Nobody,n@x.test,,",
        'Scorpio,,"Globex\nCorporation",',
        "",
      ].join("\n"),
    );
  });

  it("prints the CSV header even when nothing matches", async () => {
    const result = await org.sfkit([
      "data",
      "query",
      "SELECT Id, Name FROM Account WHERE Name = 'none'",
      "-r",
      "csv",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Id,Name\n");
  });

  it("prints one JSON envelope with the query result (--json and -r json alike)", async () => {
    const result = await org.sfkit([
      "data",
      "query",
      "SELECT Name, Industry FROM Account ORDER BY Name",
      "--json",
    ]);
    expect(result.code).toBe(0);
    const doc = result.json();
    expect(doc).toEqual({
      status: 0,
      result: {
        totalSize: 2,
        done: true,
        records: [
          {
            attributes: expect.objectContaining({ type: "Account" }),
            Name: 'Acme "Rockets", Inc.',
            Industry: "Aerospace",
          },
          {
            attributes: expect.objectContaining({ type: "Account" }),
            Name: "Globex\nCorporation",
            Industry: null,
          },
        ],
      },
      warnings: [],
    });
    const viaFormat = await org.sfkit([
      "data",
      "query",
      "SELECT Name, Industry FROM Account ORDER BY Name",
      "-r",
      "json",
    ]);
    expect(viaFormat.json()).toEqual(doc);
  });

  it("prints NDJSON, one record per line", async () => {
    const result = await org.sfkit([
      "data",
      "query",
      "SELECT LastName FROM Contact ORDER BY LastName",
      "-r",
      "ndjson",
    ]);
    const lines = result.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.LastName)).toEqual(["Coyote", "Nobody", "Scorpio"]);
  });

  it("follows every page (streamed) in every format", async () => {
    const soql = "SELECT LastName FROM Lead ORDER BY LastName";
    const csv = await org.sfkit(["data", "query", soql, "-r", "csv", "--batch-size", "200"]);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trimEnd().split("\n");
    expect(rows).toHaveLength(451);
    expect(rows[1]).toBe("Lead 000");
    expect(rows[450]).toBe("Lead 449");
    const json = await org.sfkit(["data", "query", soql, "--json", "--batch-size", "200"]);
    expect(json.json().result.records).toHaveLength(450);
    expect(json.json().result.totalSize).toBe(450);
    const human = await org.sfkit(["data", "query", soql, "--batch-size", "200"]);
    expect(human.stdout).toContain("Total number of records retrieved: 450.");
  });

  it("ends the JSON document properly when a later page fails (one document, non-zero exit)", async () => {
    org.emulator.faults.next({
      path: /\/query\/[^?]/,
      status: 500,
      body: [{ errorCode: "UNKNOWN_EXCEPTION", message: "boom" }],
    });
    const result = await org.sfkit([
      "data",
      "query",
      "SELECT LastName FROM Lead",
      "--json",
      "--batch-size",
      "200",
    ]);
    expect(result.code).toBe(1);
    const doc = result.json();
    expect(doc).toMatchObject({
      status: 1,
      exitCode: 1,
      code: "UNKNOWN_EXCEPTION",
      result: { done: false, totalSize: 450 },
    });
    expect(doc.result.records).toHaveLength(200);
    expect(doc.message).toContain("boom");
  });

  it("warns on stderr that CSV output is incomplete when a later page fails", async () => {
    org.emulator.faults.next({
      path: /\/query\/[^?]/,
      status: 500,
      body: [{ errorCode: "UNKNOWN_EXCEPTION", message: "boom" }],
    });
    const result = await org.sfkit([
      "data",
      "query",
      "SELECT LastName FROM Lead",
      "-r",
      "csv",
      "--batch-size",
      "200",
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(201);
    expect(result.stderr).toContain("The output is incomplete: 200 records were written before the error.");
    expect(result.stderr).toContain("UNKNOWN_EXCEPTION");
  });

  it("writes to --output-file (CSV or JSON) and prints a summary", async () => {
    const dir = tempDir();
    const csv = await org.sfkit(["data", "query", CONTACTS, "-r", "csv", "--output-file", "c.csv"], {
      cwd: dir,
    });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe(`Wrote 3 records to ${join(dir, "c.csv")}.\n`);
    expect(readFileSync(join(dir, "c.csv"), "utf8").split("\n")[0]).toBe(
      "LastName,Email,Account.Name,Account.Industry",
    );
    const json = await org.sfkit(["data", "query", CONTACTS, "-r", "json", "--output-file", "c.json"], {
      cwd: dir,
    });
    expect(json.json()).toEqual({
      status: 0,
      result: { outputFile: join(dir, "c.json"), format: "json", totalSize: 3 },
      warnings: [],
    });
    expect(JSON.parse(readFileSync(join(dir, "c.json"), "utf8")).result.records).toHaveLength(3);
    const human = await org.sfkit(["data", "query", CONTACTS, "--output-file", "c.txt"], { cwd: dir });
    expect(human.code).toBe(2);
  });

  it("reports bad SOQL as a Salesforce error (exit 1), in --json too", async () => {
    const result = await org.sfkit(["data", "query", "SELEC Id FROM Account", "--json"]);
    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({
      status: 1,
      exitCode: 1,
      name: "SalesforceMalformedRequest",
      code: "MALFORMED_QUERY",
    });
  });

  it("prints a SOQL error with its line breaks, so the caret points at the bad token", async () => {
    const result = await org.sfkit(["data", "query", "SELECT Id, Bacon__c FROM Account"]);
    expect(result.code).toBe(1);
    const lines = result.stderr.split("\n");
    const caret = lines.findIndex((line) => /^\s*\^$/.test(line));
    expect(caret, result.stderr).toBeGreaterThan(0);
    expect(lines[caret - 1]).toBe("SELECT Id, Bacon__c FROM Account");
    expect(lines[caret]!.indexOf("^")).toBe(lines[caret - 1]!.indexOf("Bacon__c"));
    expect(lines[caret + 1]).toBe("ERROR at Row:1:Column:12");
    const json = await org.sfkit(["data", "query", "SELECT Id, Bacon__c FROM Account", "--json"]);
    expect(json.json().message).toContain(
      "SELECT Id, Bacon__c FROM Account\n           ^\nERROR at Row:1:Column:12\n",
    );
  });

  it("takes the statement from --query or --file, never twice", async () => {
    const both = await org.sfkit([
      "data",
      "query",
      "SELECT Id FROM Account",
      "--query",
      "SELECT Id FROM Contact",
    ]);
    expect(both.code).toBe(2);
    const none = await org.sfkit(["data", "query"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Give the SOQL statement");
    const missing = await org.sfkit(["data", "query", "--file", "nope.soql"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("file not found: nope.soql (from --file)");
    expect(missing.stderr).not.toContain("ENOENT");
  });

  it("includes deleted rows with --all (queryAll)", async () => {
    const created = await org.sfkit([
      "data",
      "create",
      "record",
      "-s",
      "Account",
      "--values",
      "Name='Gone Inc'",
      "--json",
    ]);
    const id = created.json().result.id;
    expect((await org.sfkit(["data", "delete", "record", "-s", "Account", "-i", id])).code).toBe(0);
    const soql = "SELECT Name FROM Account WHERE Name = 'Gone Inc'";
    expect((await org.sfkit(["data", "query", soql, "--json"])).json().result.totalSize).toBe(0);
    expect((await org.sfkit(["data", "query", soql, "--all", "--json"])).json().result.totalSize).toBe(1);
  });
});

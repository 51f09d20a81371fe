import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvField, readCsv } from "../src/format/csv.js";
import { soqlColumns } from "../src/format/flatten.js";
import { jsonErrorAt } from "../src/format/json-position.js";
import { tempDir } from "./support/cli.js";
import { startTestOrg, type TestOrg } from "./support/org.js";

async function rows(text: string, chunk = 3) {
  const chunks = async function* () {
    for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk);
  };
  const out: Array<{ line: number; fields: string[] }> = [];
  for await (const row of readCsv(chunks(), (message, line) => new Error(`${line}: ${message}`)))
    out.push(row);
  return out;
}

describe("CSV", () => {
  it("writes RFC 4180 fields", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(" padded")).toBe('" padded"');
  });

  it("reads quoted fields, doubled quotes, CRLF and line breaks inside quotes, across chunk borders", async () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      const parsed = await rows('a,b\r\n"x ""q""","multi\r\nline"\r\n"",last\r\n', size);
      expect(parsed).toEqual([
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ['x "q"', "multi\r\nline"] },
        { line: 4, fields: ["", "last"] },
      ]);
    }
  });

  it("names the line of a broken quote", async () => {
    await expect(rows('a\n"ok"\n"open\nmore\n')).rejects.toThrow("3: a quoted field is never closed");
    await expect(rows('a\nx"y\n')).rejects.toThrow(/^2: a quote/);
    await expect(rows('a\n"x"y\n')).rejects.toThrow(/^2: text after a closing quote/);
  });
});

describe("SOQL columns", () => {
  it("follows the select list: relationships, aliases, aggregates, subqueries", () => {
    expect(soqlColumns("SELECT Id, Account.Name, toLabel(Status) FROM Case")).toEqual([
      "Id",
      "Account.Name",
      "Status",
    ]);
    expect(
      soqlColumns("select count(id), max(Amount) biggest, StageName from Opportunity group by StageName"),
    ).toEqual(["expr0", "biggest", "StageName"]);
    expect(
      soqlColumns("SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name = 'a, from b'"),
    ).toEqual(["Name", "Contacts"]);
    expect(soqlColumns("SELECT FIELDS(ALL) FROM Account LIMIT 200")).toBeUndefined();
  });
});

describe("JSON error positions", () => {
  it("finds where the text goes wrong", () => {
    expect(jsonErrorAt('{"a": 1}')).toBeUndefined();
    expect(jsonErrorAt('{"a": 1,}')).toMatchObject({ offset: 8 });
    expect(jsonErrorAt('{"a": "x\ny"}')?.reason).toContain("control character");
    expect(jsonErrorAt("[1, 2")?.reason).toContain("end of input");
  });
});

describe("progress output", () => {
  let org: TestOrg;
  let dir: string;
  beforeAll(async () => {
    org = await startTestOrg();
    dir = tempDir();
    writeFileSync(join(dir, "p.csv"), "LastName\nA\nB\n");
  });
  afterAll(() => org.close());

  it("shows a progress bar on stderr only on an interactive terminal", async () => {
    const args = ["data", "import", "bulk", "-s", "Contact", "-f", "p.csv"];
    const env = { SFKIT_POLL_INTERVAL_MS: "20" };
    const tty = await org.sfkit(args, { cwd: dir, env, isTTY: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain("Bulk job");
    for (const quiet of [{ NO_COLOR: "1" }, { CI: "true" }, { TERM: "dumb" }]) {
      const result = await org.sfkit(args, { cwd: dir, env: { ...env, ...quiet }, isTTY: true });
      expect(result.code).toBe(0);
      expect(result.stderr, JSON.stringify(quiet)).toBe("");
    }
    const piped = await org.sfkit(args, { cwd: dir, env, isTTY: false });
    expect(piped.stderr).toBe("");
    const json = await org.sfkit([...args, "--json"], { cwd: dir, env, isTTY: true });
    expect(json.stderr).toBe("");
    expect(() => json.json()).not.toThrow();
  });
});

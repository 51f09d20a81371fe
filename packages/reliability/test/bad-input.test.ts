// Malformed input wherever a user gives it (client options, credentials, CSV files, SOQL
// parameters, dates, bulk options, Apex calls): a clear, typed error that names what is wrong
// and says what to do, before anything is sent.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { passwordGrant } from "@sfkit/auth-oauth";
import { soapLogin } from "@sfkit/auth-soap";
import { ConfigurationError, createClient, SalesforceError } from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import { formatSoql, soqlDate, soqlDateTime, toReplicationDate } from "@sfkit/rest";
import { Salesforce } from "@sfkit/salesforce";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let org: Emulator;
let sf: Salesforce;
beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  const user = org.users[0]!;
  sf = new Salesforce({
    username: user.username,
    password: user.password,
    securityToken: user.securityToken,
    loginUrl: org.loginUrl,
    bulk: { pollInterval: 5, maxPollInterval: 20 },
  });
});
afterAll(async () => {
  await sf?.close();
  await org?.close();
});

interface Case {
  what: string;
  run: () => unknown;
  /** The error names this (the option, field or value at fault). */
  names: RegExp;
  /** A typed error other than ConfigurationError (a server-side refusal of a bad query, say). */
  type?: "salesforce";
}

const dir = mkdtempSync(join(tmpdir(), "sfkit-badinput-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const CASES: Case[] = [
  // client options
  { what: "timeout of 0", run: () => createClient({ timeout: 0 }), names: /timeout/ },
  { what: "timeout as text", run: () => createClient({ timeout: "10s" as never }), names: /timeout/ },
  { what: "retry.limit of 100", run: () => createClient({ retry: { limit: 100 } }), names: /retry\.limit/ },
  {
    what: "apiVersion abc",
    run: () => createClient({ apiVersion: "abc" }),
    names: /abc|apiVersion|version/i,
  },
  {
    what: "sessionId without instance",
    run: () => createClient({ sessionId: "00Dx!y" }),
    names: /instanceUrl|instance/,
  },
  {
    what: "instanceUrl that is not a URL",
    run: () => createClient({ sessionId: "00Dx!y", instanceUrl: "not a url" }),
    names: /not a url|instance/i,
  },
  {
    what: "a request without credentials",
    run: () => createClient().request({ path: "sobjects" }),
    names: /auth|credentials/,
  },
  { what: "request() without a path", run: () => sf.request({} as never), names: /path/ },
  // credentials
  {
    what: "Salesforce with nothing",
    run: () => new Salesforce({} as never),
    names: /login|username|sessionId/i,
  },
  {
    what: "soapLogin without a username",
    run: () => soapLogin({ password: "x", loginUrl: "https://login.salesforce.com" } as never),
    names: /username/,
  },
  {
    what: "passwordGrant without consumerKey",
    run: () => passwordGrant({ username: "u", password: "p", consumerSecret: "s" } as never),
    names: /consumerKey/,
  },
  {
    what: "soapLogin over plain http to a Salesforce host",
    run: () =>
      createClient({
        auth: soapLogin({ username: "u", password: "p", loginUrl: "http://login.salesforce.com" }),
      }).session(),
    names: /http/,
  },
  // SOQL parameters and dates
  {
    what: "a SOQL parameter that is missing",
    run: () => formatSoql("SELECT Id FROM Account WHERE Name = :name", {}),
    names: /name/,
  },
  {
    what: "simple-salesforce's {} placeholder in formatSoql",
    run: () => formatSoql("SELECT Id FROM Contact WHERE LastName = {}", "Jones" as never),
    names: /:name/,
  },
  {
    what: "simple-salesforce's {name} placeholder in formatSoql",
    run: () => formatSoql("SELECT Id FROM Contact WHERE LastName = {name}", { name: "Jones" }),
    names: /\{name\}.*:name/,
  },
  {
    what: "a SOQL parameter that is NaN",
    run: () => formatSoql("SELECT Id FROM Account WHERE NumberOfEmployees = :n", { n: Number.NaN }),
    names: /NaN|n\b/,
  },
  {
    what: "a SOQL parameter that is an object",
    run: () => formatSoql("SELECT Id FROM Account WHERE Name = :x", { x: { a: 1 } }),
    names: /x|object/i,
  },
  { what: "soqlDate of 2024-13-45", run: () => soqlDate("2024-13-45"), names: /2024-13-45/ },
  { what: "soqlDate of an invalid Date", run: () => soqlDate(new Date("nope")), names: /invalid|date/i },
  {
    what: "soqlDateTime of an invalid Date",
    run: () => soqlDateTime(new Date("nope")),
    names: /invalid|date/i,
  },
  {
    what: "a replication date of 'yesterday'",
    run: () => toReplicationDate("yesterday", "start"),
    names: /yesterday|date/i,
  },
  {
    what: "sObject deleted() with an end before the start",
    run: () => sf.Contact.deleted(new Date("2024-02-01"), new Date("2024-01-01")),
    names: /start|end|before/i,
  },
  {
    what: "a malformed SOQL query (the server's message, caret and all)",
    run: () => sf.query("SELECT Id FROM Account WHERE"),
    names: /MALFORMED_QUERY|unexpected/i,
    type: "salesforce",
  },
  // records and bulk input
  {
    what: "a record with NaN",
    run: () => sf.bulk2.Contact.insert({ records: [{ LastName: Number.NaN }] }),
    names: /LastName/,
  },
  {
    what: "an upsert without externalIdField",
    run: () => sf.bulk2.Contact.upsert({ records: [{ LastName: "x" }] } as never),
    names: /externalIdField/,
  },
  {
    what: "a CSV file that does not exist",
    run: () => sf.bulk2.Contact.insert({ file: join(dir, "missing.csv") }),
    names: /missing\.csv/,
  },
  {
    what: "two data sources",
    run: () => sf.bulk2.Contact.insert({ records: [], csv: "a" } as never),
    names: /records|csv/,
  },
  {
    what: "an unknown columnDelimiter",
    run: () => sf.bulk2.Contact.insert({ csv: "LastName\nx\n", columnDelimiter: "SPACE" as never }),
    names: /SPACE/,
  },
  {
    what: "a Bulk 1.0 batchSize of 20000",
    run: () => sf.bulk.Contact.insert([{ LastName: "x" }], { batchSize: 20_000 }),
    names: /batchSize/,
  },
  {
    what: "a CSV file with an unclosed quote",
    run: () => sf.bulk2.Contact.insert({ file: file("unclosed.csv", 'LastName,FirstName\n"Smith,Ann\n') }),
    names: /Unclosed quote.*line 2 \(data row 1\)/i,
    type: "salesforce", // the job fails with Salesforce's ClientInputError, which says where
  },
  {
    what: "a CSV file with a header only",
    run: async () => {
      const r = await sf.bulk2.Contact.insert({ file: file("header.csv", "LastName\n") });
      if (r.successful.length + r.failed.length + r.unprocessed.length !== 0) return r;
      throw new ConfigurationError("(accepted: a header-only file is zero rows)");
    },
    names: /zero rows/,
  },
  { what: "a bad job id", run: () => sf.bulk2.job("not-a-job"), names: /not-a-job/ },
  // Apex calls
  {
    what: "an Apex call with method FETCH",
    run: () => sf.apexecute("x", { method: "FETCH" as never }),
    names: /FETCH/,
  },
];

describe("malformed input gets a clear error that says what to fix", () => {
  for (const c of CASES) {
    it(c.what, async () => {
      let error: unknown;
      try {
        await c.run();
      } catch (e) {
        error = e;
      }
      expect(error, `${c.what}: no error`).toBeDefined();
      if (c.type === "salesforce") expect(error).toBeInstanceOf(SalesforceError);
      else expect(error, String(error)).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      expect(message).toMatch(c.names);
      expect(message.length).toBeGreaterThan(15);
    });
  }
});

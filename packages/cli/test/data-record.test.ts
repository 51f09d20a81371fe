import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { parseValues } from "../src/commands/data/values.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempDir } from "./support/cli.js";
import { expectNoSecrets, startTestOrg, type TestOrg } from "./support/org.js";

describe("--values parsing", () => {
  it("reads sf-style Field=value pairs", () => {
    expect(
      parseValues(
        `Name='Acme Inc' Phone=555 IsActive__c=true Fax=null Note="say \\"hi\\"" Code=007 Rate=1.5`,
      ),
    ).toEqual({
      Name: "Acme Inc",
      Phone: 555,
      IsActive__c: true,
      Fax: null,
      Note: 'say "hi"',
      Code: "007",
      Rate: 1.5,
    });
  });
  it("says what is wrong", () => {
    expect(() => parseValues("Name='Acme")).toThrow(/never closed/);
    expect(() => parseValues("Name Acme")).toThrow(/expected Field=value at character 1/);
    expect(() => parseValues("A=1 A=2")).toThrow(/A is given twice/);
  });
});

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg({
    seed: "demo",
    project: join(REPO_ROOT, "examples", "demo", "dreamhouse", "force-app"),
  });
});
afterAll(() => org.close());

describe("sfkit data <verb> record", () => {
  it("creates, gets, updates, finds by --where, and deletes a record", async () => {
    const created = await org.sfkit([
      "data",
      "create",
      "record",
      "-s",
      "Account",
      "--values",
      "Name='Rec Test' NumberOfEmployees=42",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const id = /record (\w{18})\./.exec(created.stdout)?.[1];
    expect(id).toBeDefined();

    const got = await org.sfkit(["data", "get", "record", "-s", "Account", "-i", id!, "--json"]);
    expect(got.json().result).toMatchObject({ Id: id, Name: "Rec Test", NumberOfEmployees: 42 });
    const human = await org.sfkit([
      "data",
      "get",
      "record",
      "-s",
      "Account",
      "-i",
      id!,
      "--fields",
      "Id,Name",
    ]);
    expect(human.stdout).toMatch(/^Id\s+\w{18}\nName\s+Rec Test\n$/);

    const updated = await org.sfkit([
      "data",
      "update",
      "record",
      "-s",
      "Account",
      "--where",
      "Name='Rec Test'",
      "--json-values",
      '{"Phone":"555-0199"}',
      "--json",
    ]);
    expect(updated.json()).toEqual({ status: 0, result: { id, success: true }, warnings: [] });

    const query = await org.sfkit([
      "data",
      "query",
      `SELECT Phone FROM Account WHERE Id = '${id}'`,
      "-r",
      "csv",
    ]);
    expect(query.stdout).toBe("Phone\n555-0199\n");

    const deleted = await org.sfkit(["data", "delete", "record", "-s", "Account", "-i", id!]);
    expect(deleted.code).toBe(0);
    const gone = await org.sfkit(["data", "get", "record", "-s", "Account", "-i", id!, "--json"]);
    expect(gone.code).toBe(1);
    expect(gone.json()).toMatchObject({ name: "SalesforceResourceNotFound", exitCode: 1 });
    expectNoSecrets(created, org.secrets);
  });

  it("upserts by external id (created, then updated), and gets by external id", async () => {
    const args = ["data", "upsert", "record", "-s", "Broker__c", "-e", "Broker_Id__c", "-i", "1001"];
    const created = await org.sfkit([...args, "--values", "Name='Upsert Broker'", "--json"]);
    expect(created.code, created.stdout).toBe(0);
    expect(created.json().result).toMatchObject({ created: true, id: expect.any(String) });
    const updated = await org.sfkit([...args, "--values", "Title__c='Partner'"]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(/^Updated Broker__c record/);
    const got = await org.sfkit([
      "data",
      "get",
      "record",
      "-s",
      "Broker__c",
      "-e",
      "Broker_Id__c",
      "-i",
      "1001",
      "--json",
    ]);
    expect(got.json().result).toMatchObject({
      Name: "Upsert Broker",
      Title__c: "Partner",
      Broker_Id__c: 1001,
    });
    // The value is one path segment, encoded once: "/" and "?" cannot change the URL (F04 kind).
    const odd = await org.sfkit([
      "data",
      "upsert",
      "record",
      "-s",
      "Broker__c",
      "-e",
      "Broker_Id__c",
      "-i",
      "a/b c?d",
      "--values",
      "Name=x",
      "--json",
    ]);
    expect(odd.json().message).toContain("/sobjects/Broker__c/Broker_Id__c/a%2Fb%20c%3Fd ");
  });

  it("rejects --where that matches no record or several", async () => {
    const none = await org.sfkit(["data", "delete", "record", "-s", "Account", "--where", "Name='No Such'"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("--where matched no Account record");
    const many = await org.sfkit([
      "data",
      "update",
      "record",
      "-s",
      "Contact",
      "--where",
      "Department='Finance'",
      "--values",
      "Title=x",
      "--json",
    ]);
    expect(many.code).toBe(1);
    expect(many.json().code).toBe("ERR_MANY_RECORDS");
  });

  it("rejects bad input before calling Salesforce (exit 2)", async () => {
    const both = await org.sfkit([
      "data",
      "create",
      "record",
      "-s",
      "Account",
      "--values",
      "Name=x",
      "--json-values",
      "{}",
    ]);
    expect(both.code).toBe(2);
    const badJson = await org.sfkit([
      "data",
      "create",
      "record",
      "-s",
      "Account",
      "--json-values",
      '{"Name": "x",\n "Phone": }',
    ]);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/--json-values is not valid JSON at line 2/);
    const dir = tempDir();
    writeFileSync(join(dir, "rec.json"), '{\n  "Name": "From File",\n  "Phone": "1"\n}\n');
    const fromFile = await org.sfkit(
      ["data", "create", "record", "-s", "Account", "--json-values", "@rec.json", "--json"],
      { cwd: dir },
    );
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.json().result).toMatchObject({ success: true, id: expect.any(String) });
    const badName = await org.sfkit(["data", "get", "record", "-s", "Account; DROP", "-i", "x"]);
    expect(badName.code).toBe(2);
  });

  it("runs a SOSL search (table, CSV, JSON)", async () => {
    const sosl = "FIND {GenePoint} RETURNING Account(Name, BillingCity)";
    const human = await org.sfkit(["data", "search", sosl]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^type\s+Name\s+BillingCity\n[─ ]+\nAccount\s+GenePoint\s+Mountain View\n/);
    const csv = await org.sfkit(["data", "search", sosl, "-r", "csv"]);
    expect(csv.stdout).toBe("type,Name,BillingCity\nAccount,GenePoint,Mountain View\n");
    const json = await org.sfkit(["data", "search", "--query", sosl, "--json"]);
    expect(json.json().result.searchRecords).toEqual([expect.objectContaining({ Name: "GenePoint" })]);
    const none = await org.sfkit(["data", "search", "FIND {zzzzqqq} RETURNING Account(Name)", "--json"]);
    expect(none.json().result.searchRecords).toEqual([]);
  });

  it("lists and describes sObjects, shows limits", async () => {
    const list = await org.sfkit(["sobject", "list", "--json"]);
    expect(list.json().result.map((s: { name: string }) => s.name)).toContain("Account");
    const describe = await org.sfkit(["sobject", "describe", "Contact"]);
    expect(describe.code).toBe(0);
    expect(describe.stdout).toMatch(
      /^AccountId\s+Account ID\s+reference\s+\d+\s+true\s+Account \(Account\)/m,
    );
    const csv = await org.sfkit(["sobject", "describe", "Account", "-r", "csv"]);
    expect(csv.stdout.split("\n")[0]).toBe("name,label,type,length,nillable,reference,picklist");
    const limits = await org.sfkit(["limits", "--json"]);
    expect(limits.json().result).toContainEqual(
      expect.objectContaining({ name: "DailyApiRequests", max: expect.any(Number) }),
    );
  });

  it("calls Apex REST with a JSON body from a file", async () => {
    org.emulator.apex.route(
      "POST",
      "/Echo/*",
      (req: { body: unknown; rawBody?: unknown; path?: string }) => ({
        status: 200,
        body: { got: req.body, raw: String(req.rawBody) },
      }),
    );
    const dir = tempDir();
    writeFileSync(join(dir, "in.json"), '{"a": 1}');
    const result = await org.sfkit(
      ["apex", "call", "Echo/1", "--method", "POST", "--data", "@in.json", "--json"],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().result).toMatchObject({ got: { a: 1 } });
    const bad = await org.sfkit(["apex", "call", "Echo/1", "-X", "POST", "--data", "{oops"]);
    expect(bad.code).toBe(2);
    // A bare JSON string keeps its quotes on the wire.
    const text = await org.sfkit(["apex", "call", "Echo/2", "-X", "POST", "--data", '"hello"', "--json"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.json().result).toEqual({ got: "hello", raw: '"hello"' });
    const missing = await org.sfkit(["apex", "call", "Nope", "--json"]);
    expect(missing.code).toBe(1);
    expect(missing.json().name).toBe("SalesforceResourceNotFound");
  });
});

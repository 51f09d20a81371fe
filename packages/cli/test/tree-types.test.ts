import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTypes } from "../src/typegen/generate.js";
import { REPO_ROOT, tempDir } from "./support/cli.js";
import { startTestOrg, type TestOrg } from "./support/org.js";

const DREAMHOUSE = join(REPO_ROOT, "examples", "demo", "dreamhouse");
let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg({ project: join(DREAMHOUSE, "force-app") });
});
afterAll(() => org.close());

describe("sfkit data tree import", () => {
  it("imports the DreamHouse sample data, resolving @references across files", async () => {
    const result = await org.sfkit([
      "data",
      "tree",
      "import",
      "--plan",
      join(DREAMHOUSE, "data", "sample-data-plan.json"),
      "--json",
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const saved = result.json().result as Array<{ refId: string; type: string; id: string }>;
    const brokers = saved.filter((s) => s.type === "Broker__c");
    const properties = saved.filter((s) => s.type === "Property__c");
    expect(brokers.length).toBeGreaterThan(0);
    expect(properties.length).toBeGreaterThan(0);
    const caroline = saved.find((s) => s.refId === "CarolineBrookerRef")!;
    const query = await org.sfkit([
      "data",
      "query",
      "SELECT Name, Broker__r.Name FROM Property__c WHERE Address__c = '18 Henry St'",
      "-r",
      "csv",
    ]);
    expect(query.stdout).toBe("Name,Broker__r.Name\nStunning Victorian,Caroline Kingsley\n");
    const viaId = await org.sfkit([
      "data",
      "query",
      `SELECT COUNT() FROM Property__c WHERE Broker__c = '${caroline.id}'`,
      "--json",
    ]);
    expect(viaId.json().result.totalSize).toBeGreaterThan(0);
  });

  it("rejects a reference that no earlier file defines, before importing anything (exit 2)", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "a.json"),
      JSON.stringify({ records: [{ attributes: { type: "Account", referenceId: "A1" }, Name: "TreeA" }] }),
    );
    writeFileSync(
      join(dir, "c.json"),
      JSON.stringify({
        records: [
          { attributes: { type: "Contact", referenceId: "C1" }, LastName: "TreeC", AccountId: "@Nope" },
        ],
      }),
    );
    const result = await org.sfkit(["data", "tree", "import", "--files", "a.json", "c.json"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("c.json: AccountId: @Nope refer to records that no earlier file");
    const count = await org.sfkit([
      "data",
      "query",
      "SELECT COUNT() FROM Account WHERE Name = 'TreeA'",
      "--json",
    ]);
    expect(count.json().result.totalSize).toBe(0);
    writeFileSync(join(dir, "bad.json"), '{\n  "records": [\n    { "Name": "x", }\n  ]\n}\n');
    const bad = await org.sfkit(["data", "tree", "import", "--files", "bad.json"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json is not valid JSON at line 3, column 20: expected a "name"');
  });

  it("says which records were saved when a later request fails", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "a.json"),
      JSON.stringify({
        records: [{ attributes: { type: "Account", referenceId: "P1" }, Name: "Partial A" }],
      }),
    );
    writeFileSync(
      join(dir, "c.json"),
      JSON.stringify({
        records: [
          { attributes: { type: "Contact", referenceId: "P2" }, FirstName: "NoLastName", AccountId: "@P1" },
        ],
      }),
    );
    const result = await org.sfkit(["data", "tree", "import", "--files", "a.json", "c.json", "--json"], {
      cwd: dir,
    });
    expect(result.code).toBe(1);
    const doc = result.json();
    expect(doc.code).toBe("ERR_TREE_IMPORT_FAILED");
    expect(doc.message).toContain("1 records from earlier requests were saved and stay saved");
    expect(doc.data.saved).toEqual([expect.objectContaining({ refId: "P1", type: "Account" })]);
  });
});

describe("sfkit types generate", () => {
  it("writes interfaces with field types, | null, picklist unions and relationships, which compile", async () => {
    const dir = tempDir();
    const result = await org.sfkit(
      ["types", "generate", "Property__c", "Broker__c", "Account", "Contact", "--out", "src/sobjects.ts"],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Wrote 4 interfaces \(\d+ fields\) to .*sobjects\.ts/);
    const text = readFileSync(join(dir, "src", "sobjects.ts"), "utf8");
    expect(text).toContain("export interface Property__c {");
    expect(text).toMatch(/ {2}Id: string;/);
    expect(text).toMatch(/ {2}Price__c: number \| null;/);
    expect(text).toMatch(/ {2}Status__c: "[^"]+"( \| "[^"]+")+.* \| null;/);
    expect(text).toMatch(/ {2}Broker__r\?: Broker__c \| null;/);
    expect(text).toMatch(/ {2}Location__c: SObjectLocation \| null;/);
    expect(text).toMatch(/ {2}Contacts\?: ChildRecords<Contact> \| null;/);
    expect(text).toMatch(/ {2}IsDeleted: boolean;/);
    expect(text).toContain('export type SObjectName = "Account" | "Broker__c" | "Contact" | "Property__c";');

    // The file compiles, and the types catch mistakes.
    const user = `import type { Property__c, Contact } from "./sobjects.js";
const p = {} as Property__c;
const price: number | null = p.Price__c;
const broker: string | undefined | null = p.Broker__r?.Name;
const c = {} as Contact;
const account: string | null | undefined = c.Account?.Name;
export { price, broker, account };
`;
    writeFileSync(join(dir, "src", "use.ts"), user);
    // A minimal standard library keeps the check fast (the full lib takes far longer to load).
    writeFileSync(
      join(dir, "src", "lib.d.ts"),
      "interface Array<T> { length: number; [n: number]: T }\ninterface Boolean {}\ninterface Function {}\ninterface CallableFunction {}\ninterface NewableFunction {}\ninterface IArguments {}\ninterface Number {}\ninterface Object {}\ninterface RegExp {}\ninterface String {}\n",
    );
    const check = () => {
      const program = ts.createProgram([join(dir, "src", "lib.d.ts"), join(dir, "src", "use.ts")], {
        strict: true,
        noEmit: true,
        noLib: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        types: [],
      });
      return ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    };
    expect(check()).toEqual([]);
    writeFileSync(join(dir, "src", "use.ts"), `${user}const wrong: string = p.Price__c;\n`);
    expect(check().join("\n")).toContain("Type 'number | null' is not assignable to type 'string'");
  });

  it("generates from describes without an org (unit)", () => {
    const text = generateTypes([
      {
        name: "Thing__c",
        label: "Thing */ label",
        fields: [
          { name: "Id", type: "id", nillable: false },
          {
            name: "Kind__c",
            type: "picklist",
            nillable: true,
            restrictedPicklist: true,
            picklistValues: [{ value: "A" }, { value: 'B"q' }, { value: "Old", active: false }],
          },
          { name: "Open__c", type: "picklist", nillable: false, picklistValues: [{ value: "X" }] },
          { name: "When__c", type: "datetime", nillable: true },
          {
            name: "Owner__c",
            type: "reference",
            nillable: true,
            referenceTo: ["User", "Group"],
            relationshipName: "Owner__r",
          },
        ],
      },
    ]);
    expect(text).toContain('  Kind__c: "A" | "B\\"q" | null;');
    expect(text).toContain('  Open__c: "X" | (string & {});');
    expect(text).toContain("  When__c: string | null;");
    expect(text).toContain("  Owner__r?: SObjectRecordRef | null;");
    expect(text).toContain("/** Thing *\\/ label (Thing__c) */");
  });

  it("prints to stdout without --out", async () => {
    const result = await org.sfkit(["types", "generate", "Broker__c"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("export interface Broker__c {");
    const bad = await org.sfkit(["types", "generate"]);
    expect(bad.code).toBe(2);
    mkdirSync(tempDir(), { recursive: true });
  });
});

// Issue 9's conventions checked across the whole command table: the --json envelope on
// success and on failure, and the lazy loading that keeps `sfkit --version` cheap.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/registry.js";
import { CLI_ROOT, spawnCli } from "./support/cli.js";
import { type TestOrg, expectNoSecrets, startTestOrg } from "./support/org.js";

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg({ seed: "demo" });
});
afterAll(() => org.close());

const ERROR_KEYS = ["code", "exitCode", "message", "name", "status"];

/** Creates an Account through the CLI and returns its id. */
async function createAccount(name: string): Promise<string> {
  const created = await org.sfkit([
    "data",
    "create",
    "record",
    "-s",
    "Account",
    "-v",
    `Name='${name}'`,
    "--json",
  ]);
  return (created.json() as { result: { id: string } }).result.id;
}

describe("--json envelope", () => {
  it("every command prints one error envelope { status, name, code, message, exitCode } for a bad flag (exit 2)", async () => {
    for (const command of COMMANDS) {
      const result = await org.sfkit([...command.id.split(" "), "--no-such-flag", "--json"]);
      expect(result.code, command.id).toBe(2);
      expect(result.stderr, command.id).toBe("");
      const doc = result.json() as Record<string, unknown>;
      for (const key of ERROR_KEYS) expect(doc, `${command.id}: ${key}`).toHaveProperty(key);
      expect(doc.status, command.id).toBe(2);
      expect(doc.exitCode, command.id).toBe(2);
      expect(doc.message, command.id).toContain("--no-such-flag");
    }
  });

  it("commands that succeed print { status: 0, result, warnings } and nothing else on stdout", async () => {
    const id = await createAccount("Envelope Co");
    expect(id).toMatch(/^001/);
    const runs: string[][] = [
      ["org", "list"],
      ["org", "display"],
      ["data", "query", "SELECT Id, Name FROM Account LIMIT 2"],
      ["data", "search", "FIND {Envelope} RETURNING Account(Name)"],
      ["data", "get", "record", "-s", "Account", "-i", id],
      ["data", "update", "record", "-s", "Account", "-i", id, "--values", "Phone=123"],
      ["sobject", "list"],
      ["sobject", "describe", "Account"],
      ["limits"],
      ["types", "generate", "Account"],
      ["data", "delete", "record", "-s", "Account", "-i", id],
    ];
    for (const args of runs) {
      const result = await org.sfkit([...args, "--json"]);
      const label = args.join(" ");
      expect(result.code, `${label}: ${result.stdout}${result.stderr}`).toBe(0);
      const doc = result.json() as Record<string, unknown>;
      expect(Object.keys(doc).sort(), label).toEqual(["result", "status", "warnings"]);
      expect(doc.status, label).toBe(0);
      expect(Array.isArray(doc.warnings), label).toBe(true);
      expect(doc.result, label).not.toBeUndefined();
      expectNoSecrets(result, org.secrets);
    }
  });

  it("Salesforce errors are an error envelope with exit 1, never a half document", async () => {
    const runs: string[][] = [
      ["sobject", "describe", "NoSuchThing__c"],
      ["data", "get", "record", "-s", "Account", "-i", "001000000000000AAA"],
      ["data", "search", "FIND {"],
      ["apex", "call", "no/such/route"],
    ];
    for (const args of runs) {
      const result = await org.sfkit([...args, "--json"]);
      const label = args.join(" ");
      expect(result.code, label).toBe(1);
      const doc = result.json() as Record<string, unknown>;
      for (const key of ERROR_KEYS) expect(doc, `${label}: ${key}`).toHaveProperty(key);
      expect(doc.status, label).toBe(1);
      expect(doc.exitCode, label).toBe(1);
      expect(String(doc.name), label).toMatch(/^Salesforce/);
    }
  });
});

describe("every command", () => {
  it("that talks to an org takes --target-org/-o (listed in its help)", async () => {
    for (const command of COMMANDS) {
      const def = (await command.load()).default as { usesOrg?: boolean };
      if (!def.usesOrg) continue;
      const help = await org.sfkit([...command.id.split(" "), "--help"]);
      expect(help.stdout, command.id).toMatch(/-o, --target-org <alias\|username>/);
    }
  });

  it("each command runs as a real process: a bad flag gives the in-process envelope, org commands succeed against the emulator", async () => {
    const id = await createAccount("Every Process Co");
    const badFlag = COMMANDS.map((command) => [...command.id.split(" "), "--no-such-flag", "--json"]);
    const against = [
      ["org", "list"],
      ["org", "display"],
      ["data", "query", "SELECT Id, Name FROM Account LIMIT 2"],
      ["data", "search", "FIND {Every} RETURNING Account(Name)"],
      ["data", "get", "record", "-s", "Account", "-i", id],
      ["data", "update", "record", "-s", "Account", "-i", id, "--values", "Phone=123"],
      ["sobject", "list"],
      ["sobject", "describe", "Account"],
      ["limits"],
      ["types", "generate", "Account"],
      ["data", "delete", "record", "-s", "Account", "-i", id],
    ].map((args) => [...args, "--json"]);
    // A few at a time: each spawn is a whole Node start.
    const spawnAll = async (runs: string[][]) => {
      const results = [];
      for (let i = 0; i < runs.length; i += 4) {
        results.push(
          ...(await Promise.all(runs.slice(i, i + 4).map((args) => spawnCli(args, { env: org.env })))),
        );
      }
      return results;
    };
    const children = await spawnAll(badFlag);
    for (const [index, args] of badFlag.entries()) {
      const inProcess = await org.sfkit(args);
      const label = args.join(" ");
      expect(children[index]!.code, `${label}: ${children[index]!.stderr}`).toBe(2);
      expect(children[index]!.stdout, label).toBe(inProcess.stdout);
    }
    // In order: the update and the delete act on the record the get reads.
    for (const args of against) {
      const [child] = await spawnAll([args]);
      const label = args.join(" ");
      expect(child!.code, `${label}: ${child!.stdout}${child!.stderr}`).toBe(0);
      const doc = child!.json() as Record<string, unknown>;
      expect(Object.keys(doc).sort(), label).toEqual(["result", "status", "warnings"]);
      expectNoSecrets(child!, org.secrets);
    }
  }, 240_000);

  it("runs as a real process with the same output as in-process (sobject describe, data get record, found and not)", async () => {
    const id = await createAccount("Proc Co");
    const runs = [
      ["sobject", "describe", "Account", "--json"],
      ["data", "get", "record", "-s", "Account", "-i", id, "--fields", "Name"],
      ["data", "get", "record", "-s", "Account", "-i", "001000000000000AAA", "--json"],
    ];
    for (const args of runs) {
      const inProcess = await org.sfkit(args);
      const child = await spawnCli(args, { env: org.env });
      const label = args.join(" ");
      expect(child.code, `${label}: ${child.stderr}`).toBe(inProcess.code);
      expect(child.stdout, label).toBe(inProcess.stdout);
    }
  }, 60_000);
});

/** The files a module reaches through static imports (dynamic import() is lazy and not followed). */
function staticGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gm)) {
      if (match[1]) continue; // type-only imports vanish at build time
      const specifier = match[2]!;
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else if (!specifier.startsWith("node:")) packages.add(specifier);
    }
    for (const match of source.matchAll(/^\s*import\s+"([^"]+)"/gm)) packages.add(match[1]!);
  };
  visit(entry);
  return { files: [...files].map((f) => f.slice(CLI_ROOT.length + 1)), packages: [...packages] };
}

describe("fast start", () => {
  it("sfkit --version and help load no command and no @sfkit package (commands load lazily)", () => {
    const { files, packages } = staticGraph(join(CLI_ROOT, "src", "main.ts"));
    expect(packages).toEqual([]);
    expect(files.filter((f) => f.includes("commands/"))).toEqual([]);
    expect(files.sort()).toEqual(
      [
        "src/framework/io.ts",
        "src/framework/redact.ts",
        "src/main.ts",
        "src/registry.ts",
        "src/version.ts",
      ].sort(),
    );
  });
});

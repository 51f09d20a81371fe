import { describe, expect, it } from "vitest";
import { ExitCode, exitCodeFor } from "../src/framework/errors.js";
import { COMMANDS } from "../src/registry.js";
import { run, tempDir } from "./support/cli.js";

describe("sfkit framework", () => {
  it("prints the version (and as JSON)", async () => {
    const text = await run(["--version"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^sfkit\/\d+\.\d+\.\d+ \S+ node-v\d+/);
    const json = await run(["--version", "--json"]);
    expect(json.json()).toMatchObject({ status: 0, result: { version: expect.any(String) }, warnings: [] });
  });

  it("prints root help, topic help and command help with examples for every command", async () => {
    const root = await run([]);
    expect(root.code).toBe(0);
    for (const command of COMMANDS) expect(root.stdout).toContain(`sfkit ${command.id}`);
    const topic = await run(["data"]);
    expect(topic.code).toBe(0);
    expect(topic.stdout).toContain("sfkit data query");
    expect(topic.stdout).not.toContain("sfkit org list");
    for (const command of COMMANDS) {
      const help = await run([...command.id.split(" "), "--help"]);
      expect(help.code, command.id).toBe(0);
      expect(help.stdout, command.id).toContain("USAGE");
      expect(help.stdout.split("EXAMPLES\n")[1], command.id).toMatch(
        new RegExp(`^ {2}.*sfkit ${command.id} `, "m"),
      );
      expect(help.stdout, command.id).toContain("--json");
      const viaHelp = await run(["help", ...command.id.split(" ")]);
      expect(viaHelp.stdout).toBe(help.stdout);
    }
  });

  it("documents exit codes and environment variables", async () => {
    const codes = await run(["help", "exit-codes"]);
    expect(codes.code).toBe(0);
    for (const code of ["0", "1", "2", "4"]) expect(codes.stdout).toMatch(new RegExp(`^  ${code} `, "m"));
    const env = await run(["help", "environment"]);
    for (const name of [
      "SF_INSTANCE_URL",
      "SF_ACCESS_TOKEN",
      "SF_USERNAME",
      "SF_PASSWORD",
      "SF_SECURITY_TOKEN",
      "SF_DOMAIN",
      "SF_CLIENT_ID",
      "SF_CLIENT_SECRET",
      "SF_PRIVATE_KEY_FILE",
      "SFKIT_CONFIG_DIR",
      "NO_COLOR",
    ])
      expect(env.stdout).toContain(name);
  });

  it("rejects an unknown command with a suggestion (exit 2)", async () => {
    const result = await run(["data", "qurey", "SELECT Id FROM Account"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('Unknown command "data qurey');
    expect(result.stderr).toContain('Did you mean "sfkit data query"?');
  });

  it("points a topic-less action at its topic: sfkit query → sfkit data query (exit 2)", async () => {
    const result = await run(["query", "SELECT Id FROM Account"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "query". Did you mean "sfkit data query"?');
    const describe = await run(["describe", "Account"]);
    expect(describe.stderr).toContain('Did you mean "sfkit sobject describe"?');
  });

  it("rejects unknown flags, bad values and missing flags with exit 2 and the usage line", async () => {
    const unknown = await run(["data", "query", "SELECT Id FROM Account", "--resultformat", "csv"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown flag --resultformat. Did you mean --result-format?");
    expect(unknown.stderr).toContain("Usage: sfkit data query");

    const badValue = await run(["data", "query", "SELECT Id FROM Account", "-r", "xml"]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('--result-format must be one of human, csv, json, ndjson, not "xml"');

    const missing = await run(["data", "create", "record", "--values", "Name=x"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Missing required flag: --sobject/-s");

    const noValue = await run(["data", "query", "SELECT Id FROM Account", "-o"]);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain("needs a value");

    const extra = await run(["sobject", "describe", "Account", "Contact"]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('Unexpected argument "Contact"');
  });

  it("prints usage errors as one JSON document with --json (F26 kind)", async () => {
    const result = await run(["data", "query", "--json", "-r", "xml", "SELECT Id FROM Account"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("");
    expect(result.json()).toEqual({
      status: 2,
      name: "UsageError",
      code: "ERR_USAGE",
      message: '--result-format must be one of human, csv, json, ndjson, not "xml".',
      exitCode: 2,
      warnings: [],
      actions: ["See: sfkit data query --help"],
    });
  });

  it("rejects a bad --api-version as a usage error", async () => {
    const result = await run(["limits", "--api-version", "abc", "--json"], {
      env: {
        SFKIT_CONFIG_DIR: tempDir(),
        SF_INSTANCE_URL: "http://127.0.0.1:9",
        SF_ACCESS_TOKEN: "00Dtoken123",
      },
    });
    expect(result.code).toBe(2);
    expect(result.json()).toMatchObject({ name: "ConfigurationError", code: "ERR_API_VERSION" });
    expect(result.stdout).not.toContain("00Dtoken123");
  });

  it("exits 4 when no org is configured", async () => {
    const result = await run(["limits", "--json"], { env: { SFKIT_CONFIG_DIR: tempDir() } });
    expect(result.code).toBe(ExitCode.authRequired);
    expect(result.json()).toMatchObject({
      status: 4,
      exitCode: 4,
      code: "ERR_NO_ORG",
      name: "AuthRequiredError",
    });
    const named = await run(["limits", "-o", "nope"], { env: { SFKIT_CONFIG_DIR: tempDir() } });
    expect(named.code).toBe(4);
    expect(named.stderr).toContain('No saved org is called "nope"');
  });

  it("maps core's typed errors to exit codes in one function", async () => {
    const core = await import("@sfkit/core");
    expect(exitCodeFor(new core.ConfigurationError("bad"))).toBe(2);
    expect(exitCodeFor(new core.SalesforceAuthenticationFailed("no"))).toBe(4);
    expect(exitCodeFor(new core.SalesforceExpiredSession("expired"))).toBe(4);
    expect(exitCodeFor(new core.SalesforceMalformedRequest("400"))).toBe(1);
    expect(exitCodeFor(new core.SalesforceRefusedRequest("403"))).toBe(1);
    expect(exitCodeFor(new core.SalesforceConnectionError("down"))).toBe(1);
    expect(exitCodeFor(new core.SalesforceAbortError("stop"))).toBe(130);
    expect(exitCodeFor(new Error("bug"))).toBe(1);
  });
});

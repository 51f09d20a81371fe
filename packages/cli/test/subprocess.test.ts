import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type Emulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPAWN_ARGS, spawnCli, tempDir } from "./support/cli.js";

// The real binary path: a process, real stdout/stderr pipes, real exit codes. The built
// bin when dist/ is fresh (npm test builds first), else the sources through tsx, so that a
// clean clone needs no build.
let emulator: Emulator;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: "demo" });
  const user = emulator.users[0]!;
  env = {
    SFKIT_CONFIG_DIR: tempDir(),
    SF_USERNAME: user.username,
    SF_PASSWORD: user.password + user.securityToken,
    SF_LOGIN_URL: emulator.loginUrl,
    SFKIT_POLL_INTERVAL_MS: "20",
  };
});
afterAll(() => emulator.close());

describe("sfkit as a process", () => {
  it("prints the version and exits 0", async () => {
    const result = await spawnCli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sfkit\/\d+\.\d+\.\d+ /);
  });

  it("runs a query with SF_* credentials and prints one JSON document", async () => {
    const result = await spawnCli(
      ["data", "query", "SELECT Name FROM Account WHERE Name LIKE 'G%' ORDER BY Name", "--json"],
      { env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.json().result.records.map((r: { Name: string }) => r.Name)).toEqual([
      "GenePoint",
      "Grand Hotels & Resorts Ltd",
    ]);
    expect(result.stdout).not.toContain(env.SF_PASSWORD!);
  });

  it("exits 2 on a bad flag, with the message on stderr only", async () => {
    const result = await spawnCli(["data", "query", "SELECT Id FROM Account", "--nope"], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Unknown flag --nope");
  });

  it("exits 1 with the failures in --json when a bulk row fails (F26)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "c.csv"), "FirstName,LastName\nOk,Fine\nBad,\n");
    const result = await spawnCli(["data", "import", "bulk", "-s", "Contact", "-f", "c.csv", "--json"], {
      env,
      cwd: dir,
    });
    expect(result.code).toBe(1);
    const doc = result.json();
    expect(doc).toMatchObject({
      status: 1,
      exitCode: 1,
      code: "ERR_ROWS_FAILED",
      data: { successful: 1, failed: 1 },
    });
    expect(doc.data.failures[0].sf__Error).toContain("REQUIRED_FIELD_MISSING");
  });

  it("runs the emulator until SIGINT, then stops cleanly (exit 0)", async () => {
    const child = spawn(process.execPath, [...SPAWN_ARGS, "emulator", "start", "--seed", "demo", "--json"], {
      env: { PATH: process.env.PATH, HOME: tempDir() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const info = await new Promise<{
      url: string;
      loginUrl: string;
      users: Array<{ username: string; password: string; securityToken: string }>;
    }>((resolve, reject) => {
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        stdout += d;
        try {
          resolve(JSON.parse(stdout).result);
        } catch {
          // not complete yet
        }
      });
      child.on("exit", () => reject(new Error(`emulator exited early: ${stderr}`)));
    });
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const user = info.users[0]!;
    const query = await spawnCli(["data", "query", "SELECT COUNT() FROM Account", "--json"], {
      env: {
        SFKIT_CONFIG_DIR: tempDir(),
        SF_USERNAME: user.username,
        SF_PASSWORD: user.password + user.securityToken,
        SF_LOGIN_URL: info.loginUrl,
      },
    });
    expect(query.code, query.stderr).toBe(0);
    expect(query.json().result.totalSize).toBeGreaterThan(0);
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exit).toBe(0);
  });
});

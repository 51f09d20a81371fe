import { join } from "node:path";
import { startEmulator } from "@sfkit/emulator";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, run, tempDir } from "./support/cli.js";

describe("sfkit emulator start (in-process)", () => {
  it("serves a project's custom objects until the signal fires, then stops (exit 0)", async () => {
    const controller = new AbortController();
    let stdout = "";
    const { main } = await import("../src/main.js");
    const running = main(
      [
        "emulator",
        "start",
        "--project",
        join(REPO_ROOT, "examples/demo/dreamhouse/force-app"),
        "--seed",
        "demo",
      ],
      {
        stdout: {
          write: (s: string) => {
            stdout += s;
            return true;
          },
        },
        stderr: { write: () => true },
        isTTY: false,
        env: { HOME: tempDir() },
        cwd: process.cwd(),
        signal: controller.signal,
      },
    );
    while (!stdout.includes("Press Ctrl-C")) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (\S+)/.exec(stdout)![1]!;
    const user = /user: (\S+) {2}password: (\S+)(?: {2}security token: (\S+))?/.exec(stdout)!;
    expect(stdout).toContain("sfkit org login soap -a emulator");
    const describe = await run(["sobject", "describe", "Property__c", "--json"], {
      env: {
        SFKIT_CONFIG_DIR: tempDir(),
        SF_USERNAME: user[1],
        SF_PASSWORD: `${user[2]}${user[3] ?? ""}`,
        SF_LOGIN_URL: url,
      },
    });
    expect(describe.code, describe.stderr).toBe(0);
    expect(describe.json().result.name).toBe("Property__c");
    controller.abort();
    expect(await running).toBe(0);
  });

  it("says which --project folder or --schema file is not there (exit 2), not ENOENT", async () => {
    const dir = tempDir();
    const project = await run(["emulator", "start", "--project", "no-such-app"], { cwd: dir });
    expect(project.code).toBe(2);
    expect(project.stderr).toContain(
      `folder not found: ${join(dir, "no-such-app")} (from the emulator's project option)`,
    );
    const schema = await run(["emulator", "start", "--schema", "nope.json"], { cwd: dir });
    expect(schema.code).toBe(2);
    expect(schema.stderr).toContain(
      `file not found: ${join(dir, "nope.json")} (from the emulator's schema option)`,
    );
    expect(schema.stderr).not.toContain("ENOENT");
  });

  it("says when the port is taken (exit 2)", async () => {
    const other = await startEmulator({ port: 0 });
    try {
      const port = new URL(other.url).port;
      const result = await run(["emulator", "start", "--port", port]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Port ${port} is in use`);
      const bad = await run(["emulator", "start", "--port", "99999"]);
      expect(bad.code).toBe(2);
    } finally {
      await other.close();
    }
  });
});

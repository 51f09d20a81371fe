// No socket, timer or pending promise is left open after faults: a child process that runs
// faulted calls of every kind (then closes its client and emulator) must exit by itself.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(createRequire(join(here, "..", "package.json")).resolve("tsx")).href;

describe("the process exits by itself after faults", () => {
  it("runs 503, resets, time-outs, 403, HTML and refused calls, closes, and exits 0 without being killed", async () => {
    const child = spawn(
      process.execPath,
      ["--conditions=@sfkit/source", "--import", tsx, join(here, "fixtures", "exit-scenario.ts")],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    let killed = false;
    // Generous: a loaded 2-core machine. A handle left open keeps the child alive forever.
    const guard = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, 25_000);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    clearTimeout(guard);
    expect(killed, `the child did not exit by itself; stderr: ${stderr}`).toBe(false);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual([
      "post-503:SalesforceGeneralError",
      "get-mid-body:SalesforceConnectionError",
      "get-timeout:SalesforceTimeoutError",
      "post-reset:SalesforceConnectionError",
      "bulk2-403:SalesforceRefusedRequest",
      "apex-html:SalesforceGeneralError",
      "refused:SalesforceConnectionError",
    ]);
  }, 40_000);
});

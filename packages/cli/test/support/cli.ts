import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { main } from "../../src/main.js";

export const CLI_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const REPO_ROOT = join(CLI_ROOT, "..", "..");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws when it is not exactly one JSON document). */
  json<T = any>(): T;
}

function result(code: number, stdout: string, stderr: string): RunResult {
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

export function tempDir(prefix = "sfkit-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs one command in-process with captured output and a private environment. */
export async function run(
  args: string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    isTTY?: boolean;
    stdin?: string;
    signal?: AbortSignal;
  } = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: {
      write: (s: string) => {
        stdout += s;
        return true;
      },
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
    },
    isTTY: options.isTTY ?? false,
    env: { HOME: tempDir("sfkit-home-"), ...options.env },
    cwd: options.cwd ?? process.cwd(),
    ...(options.stdin !== undefined
      ? {
          stdin: (async function* () {
            yield options.stdin!;
          })(),
        }
      : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return result(code, stdout, stderr);
}

const tsx = pathToFileURL(createRequire(join(CLI_ROOT, "package.json")).resolve("tsx")).href;

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Whether the built binary is up to date: every workspace package the CLI loads has a
 * dist/ newer than its src/ (as after `pnpm build`, which `npm test` runs first).
 */
function builtAndFresh(): boolean {
  const packages = join(CLI_ROOT, "..");
  for (const name of ["cli", "core", "auth-soap", "auth-oauth", "rest", "bulk", "apex", "emulator"]) {
    const dist = join(packages, name, "dist");
    if (!existsSync(dist)) return false;
    if (newest(join(packages, name, "src")) > newest(dist)) return false;
  }
  return true;
}

/** How the subprocess tests start sfkit: the real bin over dist when fresh, else the sources through tsx. */
export const SPAWN_ARGS: string[] = builtAndFresh()
  ? [join(CLI_ROOT, "bin", "sfkit.js")]
  : ["--conditions=@sfkit/source", "--import", tsx, join(CLI_ROOT, "test/support/run-source.ts")];

/** Runs `sfkit` as a real process (the built bin, or the sources through tsx when no fresh build exists). */
export function spawnCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; stdin?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SPAWN_ARGS, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: tempDir("sfkit-home-"), ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve(result(code ?? -1, stdout, stderr)));
    child.stdin.end(options.stdin ?? "");
  });
}

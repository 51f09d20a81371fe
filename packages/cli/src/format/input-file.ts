import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileReadError } from "@sfkit/core";

/**
 * Reads a file named on the command line. A missing or unreadable one is core's
 * ConfigurationError in plain words ("file not found: q.soql (from --file)", exit code 2),
 * not Node's "ENOENT: no such file or directory, open ...".
 */
export async function readInputFile(
  cwd: string,
  path: string,
  option: string,
  hint?: string,
): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), "utf8");
  } catch (cause) {
    throw fileReadError({ path, option, hint, cause });
  }
}

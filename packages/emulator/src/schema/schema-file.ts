import { readFileSync } from "node:fs";
import { EmulatorOptionError, pathNotFound } from "../option-error.js";
import type { CustomObjectSpec } from "./schema.js";

/** Reads the `schema` option's JSON file of custom object specs, with plain-words errors. */
export function readSchemaFile(path: string): CustomObjectSpec[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw pathNotFound("file", path, "schema", cause);
    throw new EmulatorOptionError(
      `cannot read ${path} (from the emulator's schema option): ${code ?? cause}.`,
    );
  }
  try {
    return JSON.parse(text) as CustomObjectSpec[];
  } catch (cause) {
    throw new EmulatorOptionError(
      `${path} (from the emulator's schema option) is not JSON: ${(cause as Error).message}. It should hold an array of custom object specs.`,
      "ERR_EMULATOR_OPTION",
      cause,
    );
  }
}

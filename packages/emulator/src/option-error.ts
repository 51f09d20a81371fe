// The emulator does not depend on @sfkit/core, so it has its own typed error for options
// that cannot work; `code` is stable for callers (the CLI maps it to a usage error).

/** An emulator option that cannot work, such as a schema file or project folder that is not there. */
export class EmulatorOptionError extends Error {
  override name = "EmulatorOptionError";
  readonly code: string;
  constructor(message: string, code = "ERR_EMULATOR_OPTION", cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}

/** "file not found: <path> (from the schema option)" instead of Node's raw ENOENT text. */
export function pathNotFound(kind: "file" | "folder", path: string, option: string, cause?: unknown) {
  return new EmulatorOptionError(
    `${kind} not found: ${path} (from the emulator's ${option} option). Check the path; a relative path is read from the current directory.`,
    kind === "file" ? "ERR_FILE_NOT_FOUND" : "ERR_FOLDER_NOT_FOUND",
    cause,
  );
}

import { ConfigurationError } from "./configuration-error.js";

/** Where a path came from, so that the message can name the option or flag to fix. */
export interface FileErrorSource {
  /** The path as the user gave it (or resolved, when that helps more). */
  path: string;
  /** The option, flag or argument that held it: `privateKeyFile`, `--file`, `{ file }`. */
  option: string;
  /** What the file should be, added after the problem ("It should hold the PEM private key..."). */
  hint?: string | undefined;
  /** The Node error from fs, kept as `cause`; its code picks the wording. */
  cause?: unknown;
}

/**
 * A ConfigurationError in plain words for a path that cannot be read ("file not found: x.csv
 * (from --file)") instead of Node's "ENOENT: no such file or directory, open ...". For
 * plugins and the CLI: core itself never touches the file system.
 */
export function fileReadError(source: FileErrorSource): ConfigurationError {
  const { path, option, hint, cause } = source;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const where = `(from ${option})`;
  let problem: string;
  let errorCode = "ERR_FILE_UNREADABLE";
  if (code === "ENOENT" || code === "ENOTDIR") {
    problem = `file not found: ${path} ${where}. Check the path; a relative path is read from the current directory.`;
    errorCode = "ERR_FILE_NOT_FOUND";
  } else if (code === "EISDIR") {
    problem = `${path} ${where} is a folder, not a file: give the path of a file.`;
  } else if (code === "EACCES" || code === "EPERM") {
    problem = `cannot read ${path} ${where}: permission denied.`;
  } else {
    const reason = code ?? (cause instanceof Error ? cause.message : undefined);
    problem = `cannot read ${path} ${where}${reason ? `: ${reason}` : ""}.`;
  }
  return new ConfigurationError(hint ? `${problem} ${hint}` : problem, {
    code: errorCode,
    ...(cause === undefined ? {} : { cause }),
  });
}

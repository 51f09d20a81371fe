// No import of @sfkit/core here: this module is loaded on every run, and sfkit errors are
// recognised by core's cross-copy marker (SalesforceError.isInstance uses the same one).
const SFKIT_ERROR = Symbol.for("sfkit.error");

/** Whether a value is an error thrown by an sfkit package (any copy of @sfkit/core). */
export function isSfkitError(
  value: unknown,
): value is Error & { name: string; code: string; status: number } {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SFKIT_ERROR] === true
  );
}

/** Exit codes, as `sfkit help exit-codes` documents them. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  authRequired: 4,
  interrupted: 130,
} as const;

/** A CLI error with its own exit code and, optionally, data for the `--json` envelope. */
export class CliError extends Error {
  override name = "CliError";
  readonly code: string;
  readonly exitCode: number;
  /** Shown in the `--json` envelope under `data` (e.g. a bulk job's failed rows). */
  readonly data: unknown;
  /** Things the user can do next, printed under the message. */
  readonly actions: string[];
  /** Set when the command already wrote the error into its (streamed) JSON document. */
  reported = false;
  constructor(
    message: string,
    options: { code?: string; exitCode?: number; data?: unknown; actions?: string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? "ERR_CLI";
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.data = options.data;
    this.actions = options.actions ?? [];
  }

  /** Marks the error as already written to stdout (the JSON document is complete). */
  silence(): this {
    this.reported = true;
    return this;
  }
}

/** A bad flag, argument or input file: exit code 2, and the command's usage line. */
export class UsageError extends CliError {
  override name = "UsageError";
  constructor(message: string, options: { code?: string; actions?: string[]; data?: unknown } = {}) {
    super(message, { code: options.code ?? "ERR_USAGE", exitCode: ExitCode.usage, ...options });
  }
}

/** No org to talk to, or its credentials no longer work: exit code 4. */
export class AuthRequiredError extends CliError {
  override name = "AuthRequiredError";
  constructor(message: string, options: { code?: string; actions?: string[]; cause?: unknown } = {}) {
    super(message, {
      code: options.code ?? "ERR_AUTH_REQUIRED",
      exitCode: ExitCode.authRequired,
      ...options,
    });
  }
}

/** The one place that turns an error into an exit code. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (isSfkitError(error)) {
    // Subclasses keep their names (ConfigurationError extends SalesforceError, so test it first).
    if (error.name === "ConfigurationError") return ExitCode.usage;
    if (error.name === "SalesforceAbortError") return ExitCode.interrupted;
    if (error.name === "SalesforceAuthenticationFailed" || error.name === "SalesforceExpiredSession")
      return ExitCode.authRequired;
    return ExitCode.failure;
  }
  if (error && typeof error === "object" && (error as { name?: string }).name === "AbortError")
    return ExitCode.interrupted;
  return ExitCode.failure;
}

/** The stable code shown in `--json` errors. */
export function errorCode(error: unknown): string {
  if (error instanceof CliError) return error.code;
  if (isSfkitError(error)) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "ERR_UNEXPECTED";
}

/** What to do about an error, when sfkit knows. */
export function actionsFor(error: unknown): string[] {
  if (error instanceof CliError) return error.actions;
  const code = exitCodeFor(error);
  if (code === ExitCode.authRequired)
    return [
      "Log in again: sfkit org login soap|oauth|jwt|session --alias <alias> (see sfkit help org login).",
    ];
  return [];
}

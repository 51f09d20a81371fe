import type { OrgConnection } from "../org/connect.js";
import type { ConfigStore } from "../config/store.js";
import type { CliIo } from "./io.js";
import type { Output } from "./output.js";

export interface FlagSpec {
  type: "string" | "boolean";
  /** One-letter alias: `-o`. */
  char?: string;
  summary: string;
  /** Shown in help as `--flag <placeholder>`. */
  placeholder?: string;
  /** The only values allowed. */
  options?: readonly string[];
  /** May be given several times (values collect in an array). */
  multiple?: boolean;
  default?: string;
  required?: boolean;
  /** Environment variable read when the flag is absent. */
  env?: string;
}

export interface ArgSpec {
  name: string;
  summary: string;
  required?: boolean;
  /** Takes every remaining positional argument. */
  variadic?: boolean;
}

export type Flags = Record<string, FlagSpec>;

type FlagValue<S extends FlagSpec> = S["type"] extends "boolean"
  ? boolean
  : S["multiple"] extends true
    ? string[]
    : S["required"] extends true
      ? string
      : S["default"] extends string
        ? string
        : string | undefined;

export type ParsedFlags<F extends Flags> = { [K in keyof F]: FlagValue<F[K]> };

export type ResultFormat = "human" | "csv" | "json" | "ndjson";

/** What a command's `run` receives. */
export interface CommandContext<F extends Flags = Flags> {
  flags: ParsedFlags<F>;
  args: string[];
  io: CliIo;
  /** `--json`, or `--result-format json`: print one envelope on stdout. */
  json: boolean;
  /** The result format asked for (`human` unless the command has `-r` and it was given). */
  format: ResultFormat;
  out: Output;
  config: ConfigStore;
  /** The org from `--target-org`, the environment or the default; logs in lazily. */
  org(): Promise<OrgConnection>;
  /** `--target-org` as given (commands with `usesOrg`). */
  targetOrg: string | undefined;
  /** The command's id ("data query"), for messages. */
  id: string;
}

export interface CommandDef<F extends Flags = Flags> {
  summary: string;
  description?: string;
  /** Shell lines, each starting with `sfkit`; a preceding `# comment` line explains it. */
  examples: string[];
  flags: F;
  args?: ArgSpec[];
  /** Adds `--target-org/-o` and `--api-version`. */
  usesOrg?: boolean;
  /** Adds `--result-format/-r` with these formats (the first is the default). */
  resultFormats?: readonly ResultFormat[];
  /**
   * Returns the `result` of the `--json` envelope. Human output is written by the
   * command itself when `ctx.json` is false. Returning STREAMED means the command
   * already wrote its whole JSON document.
   */
  run(ctx: CommandContext<F>): Promise<unknown>;
}

/** Marks a result the command has already written to stdout as a complete JSON document. */
export const STREAMED: unique symbol = Symbol("sfkit.streamed");

/** Identity helper that keeps the flag types. */
export function defineCommand<F extends Flags>(def: CommandDef<F>): CommandDef<F> {
  return def;
}

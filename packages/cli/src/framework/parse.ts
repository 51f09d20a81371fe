import { parseArgs } from "node:util";
import type { CommandDef, FlagSpec, Flags, ResultFormat } from "./command.js";
import { UsageError } from "./errors.js";

/** Flags every command takes. */
export const GLOBAL_FLAGS: Flags = {
  json: { type: "boolean", summary: "Print one JSON document on stdout: { status, result, warnings }." },
  help: { type: "boolean", char: "h", summary: "Show help for this command." },
};

/** Flags of commands that talk to an org. */
export const ORG_FLAGS: Flags = {
  "target-org": {
    type: "string",
    char: "o",
    placeholder: "alias|username",
    summary:
      "The org to use (an alias or username from `sfkit org list`); default: SF_TARGET_ORG, SF_* credentials, then the default org.",
  },
  "api-version": {
    type: "string",
    placeholder: "NN.0",
    summary:
      "Salesforce API version, e.g. 62.0 (default: the org's saved version, SF_API_VERSION, or sfkit's default).",
  },
};

export function formatFlag(formats: readonly ResultFormat[]): FlagSpec {
  return {
    type: "string",
    char: "r",
    placeholder: formats.join("|"),
    options: formats,
    default: formats[0],
    summary: `Result format: ${formats.join(", ")}.`,
  };
}

/** Every flag of a command, globals included, in help order. */
export function allFlags(def: CommandDef<Flags>): Flags {
  return {
    ...def.flags,
    ...(def.resultFormats ? { "result-format": formatFlag(def.resultFormats) } : {}),
    ...(def.usesOrg ? ORG_FLAGS : {}),
    ...GLOBAL_FLAGS,
  };
}

export interface Parsed {
  flags: Record<string, string | boolean | string[] | undefined>;
  args: string[];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest of `candidates` to `input`, when it is close enough to be a typo. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const score = editDistance(input, candidate);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

/** Parses argv for one command: strict flags, checked options, required flags, env fallbacks. */
export function parseCommandArgs(
  id: string,
  def: CommandDef<Flags>,
  argv: string[],
  env: Record<string, string | undefined>,
): Parsed {
  const specs = allFlags(def);
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.char ? { short: spec.char } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true }));
  } catch (error) {
    throw usageFromParseError(id, error, specs);
  }
  const flags: Parsed["flags"] = {};
  for (const [name, spec] of Object.entries(specs)) {
    let value = values[name] as string | boolean | string[] | undefined;
    if (value === undefined && spec.env && env[spec.env]) value = env[spec.env];
    if (value === undefined && spec.default !== undefined) value = spec.default;
    if (value === undefined && spec.type === "boolean") value = false;
    if (spec.multiple && typeof value === "string") value = [value];
    if (spec.multiple && value === undefined) value = [];
    if (spec.type === "string" && spec.options && value !== undefined) {
      for (const item of Array.isArray(value) ? value : [value as string]) {
        if (!spec.options.includes(item)) {
          throw new UsageError(
            `--${name} must be one of ${spec.options.join(", ")}, not ${JSON.stringify(item)}.`,
            { actions: [`See: sfkit ${id} --help`] },
          );
        }
      }
    }
    if (spec.type === "string" && typeof value === "string" && value === "" && spec.required)
      value = undefined;
    flags[name] = value;
  }
  if (!flags.help) {
    const missing = Object.entries(specs).filter(
      ([name, spec]) => spec.required && flags[name] === undefined,
    );
    if (missing.length) {
      throw new UsageError(
        `Missing required flag${missing.length > 1 ? "s" : ""}: ${missing.map(([name, spec]) => `--${name}${spec.char ? `/-${spec.char}` : ""}`).join(", ")}.`,
        { actions: [`See: sfkit ${id} --help`] },
      );
    }
    checkArgs(id, def, positionals);
  }
  return { flags, args: positionals };
}

function checkArgs(id: string, def: CommandDef<Flags>, positionals: string[]): void {
  const specs = def.args ?? [];
  const variadic = specs.some((a) => a.variadic);
  const required = specs.filter((a) => a.required);
  if (positionals.length < required.length) {
    const missing = required.slice(positionals.length).map((a) => `<${a.name}>`);
    throw new UsageError(`Missing argument ${missing.join(" ")}.`, { actions: [`See: sfkit ${id} --help`] });
  }
  if (!variadic && positionals.length > specs.length) {
    const extra = positionals[specs.length]!;
    throw new UsageError(
      `Unexpected argument ${JSON.stringify(extra)}. If it is a value with spaces, put it in quotes.`,
      { actions: [`See: sfkit ${id} --help`] },
    );
  }
}

function usageFromParseError(id: string, error: unknown, specs: Flags): UsageError {
  const err = error as { code?: string; message?: string };
  const message = String(err.message ?? error);
  const actions = [`See: sfkit ${id} --help`];
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'([^']+)'/.exec(message)?.[1] ?? "";
    const bare = flag.replace(/^-+/, "");
    const names = Object.keys(specs);
    const guess = closest(bare, names);
    return new UsageError(`Unknown flag ${flag}${guess ? `. Did you mean --${guess}?` : "."}`, {
      code: "ERR_UNKNOWN_FLAG",
      actions,
    });
  }
  if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /'(-[^']+)'/.exec(message)?.[1]?.replace(/ <value>$/, "");
    if (/does not take an argument/.test(message))
      return new UsageError(`Flag ${flag ?? ""} does not take a value.`, { code: "ERR_FLAG_VALUE", actions });
    return new UsageError(flag ? `Flag ${flag} needs a value.` : message.replace(/\s+/g, " "), {
      code: "ERR_FLAG_VALUE",
      actions,
    });
  }
  return new UsageError(message, { actions });
}

/** Parses a `--wait`-style number of minutes (decimals allowed). */
export function parseMinutes(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new UsageError(
      `--${flag} takes a number of minutes (e.g. 5 or 0.5), not ${JSON.stringify(value)}.`,
    );
  return minutes;
}

/** Parses a whole number flag within bounds. */
export function parseInteger(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${flag} takes a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`,
    );
  return n;
}

import type { CommandContext } from "../../framework/command.js";
import { UsageError, errorCode, exitCodeFor } from "../../framework/errors.js";
import { readInputFile } from "../../format/input-file.js";

/** Exactly one of the positional argument, --query or --file (a file holding the statement). */
export async function statementFrom(
  ctx: CommandContext,
  kind: "SOQL" | "SOSL",
  flags: { query?: string | undefined; file?: string | undefined },
): Promise<string> {
  const given = [ctx.args[0], flags.query, flags.file].filter((v) => v !== undefined);
  if (given.length === 0)
    throw new UsageError(
      `Give the ${kind} statement as an argument, with --query, or in a file with --file.`,
    );
  if (given.length > 1)
    throw new UsageError(`Give the ${kind} statement once: as an argument, --query or --file.`);
  if (flags.file) {
    const text = (await readInputFile(ctx.io.cwd, flags.file, "--file")).trim();
    if (!text) throw new UsageError(`${flags.file} is empty: it should hold one ${kind} statement.`);
    return text;
  }
  const text = (ctx.args[0] ?? flags.query)!.trim();
  if (!text) throw new UsageError(`The ${kind} statement is empty.`);
  return text;
}

/** The error fields of the --json envelope, for writers that end a streamed document. */
export function envelopeError(error: unknown) {
  const err = error as Error;
  return {
    status: exitCodeFor(error),
    name: err.name ?? "Error",
    code: errorCode(error),
    message: String(err.message ?? error),
  };
}

/** The sObject a SOQL statement reads from (`FROM X` at the top level). */
export function sobjectOf(soql: string): string | undefined {
  let depth = 0;
  const text = soql.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (depth === 0) {
      const match = /^\sfrom\s+(\w+)/i.exec(text.slice(i));
      if (match) return match[1];
    }
  }
  return undefined;
}

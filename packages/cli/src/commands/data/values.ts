import type { CommandContext } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import { jsonErrorAt, lineColumn } from "../../format/json-position.js";
import { readInputFile } from "../../format/input-file.js";

/**
 * Parses `--values "Name='Acme Inc' Phone=123 IsActive=true Fax=null"` (sf's syntax): pairs
 * separated by spaces, values in single or double quotes when they hold spaces (a backslash
 * escapes the quote). Quoted values are strings; unquoted true/false become booleans, null
 * becomes null, numbers stay numbers, anything else is a string.
 */
export function parseValues(input: string, flag = "--values"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  const text = input.trim();
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const eq = text.indexOf("=", i);
    const key = eq < 0 ? text.slice(i).split(/\s/)[0]! : text.slice(i, eq);
    if (eq < 0 || !/^[A-Za-z][\w.]*$/.test(key)) {
      throw new UsageError(
        `${flag}: expected Field=value at character ${i + 1}, found ${JSON.stringify(text.slice(i, i + 20))}. Example: ${flag} "Name='Acme Inc' Phone=123".`,
      );
    }
    i = eq + 1;
    const quote = text[i];
    let value: unknown;
    if (quote === "'" || quote === '"') {
      let s = "";
      i++;
      let closed = false;
      while (i < text.length) {
        const ch = text[i]!;
        if (ch === "\\" && (text[i + 1] === quote || text[i + 1] === "\\")) {
          s += text[i + 1];
          i += 2;
          continue;
        }
        if (ch === quote) {
          closed = true;
          i++;
          break;
        }
        s += ch;
        i++;
      }
      if (!closed)
        throw new UsageError(`${flag}: the value of ${key} opens a ${quote} quote that is never closed.`);
      value = s;
    } else {
      let end = i;
      while (end < text.length && !/\s/.test(text[end]!)) end++;
      const raw = text.slice(i, end);
      i = end;
      if (raw === "true" || raw === "false") value = raw === "true";
      else if (raw === "null") value = null;
      else if (/^-?\d+(\.\d+)?$/.test(raw) && !/^-?0\d/.test(raw)) value = Number(raw);
      else value = raw;
    }
    if (key in out) throw new UsageError(`${flag}: ${key} is given twice.`);
    out[key] = value;
  }
  if (Object.keys(out).length === 0) throw new UsageError(`${flag} is empty: give Field=value pairs.`);
  return out;
}

/** Reads `--json-values '{...}'` or `--json-values @file.json`; the error names the line. */
export async function parseJsonValues(
  ctx: CommandContext,
  input: string,
  flag = "--json-values",
): Promise<Record<string, unknown>> {
  let text = input;
  let source = flag;
  if (input.startsWith("@")) {
    source = input.slice(1);
    text = await readInputFile(ctx.io.cwd, source, `${flag} @file`);
  }
  const value = parseJsonText(text, source);
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new UsageError(`${source} must hold a JSON object such as {"Name": "Acme"}.`);
  return value as Record<string, unknown>;
}

/** JSON.parse with an error that gives the line and column. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const found = jsonErrorAt(text);
    if (!found)
      throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`, {
        code: "ERR_BAD_JSON",
      });
    const { line, column } = lineColumn(text, found.offset);
    throw new UsageError(`${source} is not valid JSON at line ${line}, column ${column}: ${found.reason}.`, {
      code: "ERR_BAD_JSON",
    });
  }
}

/** The record fields from --values or --json-values (exactly one). */
export async function recordValues(
  ctx: CommandContext,
  flags: { values?: string | undefined; "json-values"?: string | undefined },
): Promise<Record<string, unknown>> {
  if (flags.values !== undefined && flags["json-values"] !== undefined)
    throw new UsageError("Give --values or --json-values, not both.");
  if (flags.values !== undefined) return parseValues(flags.values);
  if (flags["json-values"] !== undefined) return parseJsonValues(ctx, flags["json-values"]);
  throw new UsageError(
    'Give the fields with --values "Name=\'Acme\' Phone=123" or --json-values \'{"Name":"Acme"}\'.',
  );
}

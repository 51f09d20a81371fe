import { ConfigurationError } from "@sfkit/core";

/**
 * A piece of SOQL inserted as it is (no quoting, no escaping). Build one with
 * `soqlRaw`, `soqlDate`, `soqlDateTime` or `soqlLike`; `formatSoql` and `soql` insert it verbatim.
 */
export class SoqlLiteral {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A value `formatSoql` and the `soql` tag know how to write as a SOQL literal. */
export type SoqlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | SoqlLiteral
  | ReadonlyArray<string | number | bigint | boolean | null | Date | SoqlLiteral>;

const STRING_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/**
 * Escapes text for use inside a SOQL string literal (without the quotes): backslash,
 * both quotes, newline, carriage return, tab, backspace and form feed.
 */
export function escapeSoqlString(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (c) => STRING_ESCAPES[c] ?? c);
}

/** Escapes text for a LIKE pattern (without the quotes): as a string, plus `%` → `\%` and `_` → `\_`. */
export function escapeSoqlLike(value: string): string {
  return escapeSoqlString(value).replace(/[%_]/g, (c) => `\\${c}`);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function checkDate(value: Date, what: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ConfigurationError(`${what} is an invalid Date (${String(value)}); pass a valid Date object.`);
  }
}

/**
 * A dateTime literal in UTC: `2024-01-02T03:04:05Z` (milliseconds kept only when not zero,
 * `2024-01-02T03:04:05.123Z`). Unquoted, as SOQL wants it.
 */
export function toSoqlDateTime(value: Date): string {
  checkDate(value, "A dateTime value");
  const ms = value.getUTCMilliseconds();
  return (
    `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}` +
    `T${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}` +
    (ms ? `.${pad(ms, 3)}` : "") +
    "Z"
  );
}

/**
 * A date literal `YYYY-MM-DD`. A string must already be `YYYY-MM-DD` and is used as it is
 * (no time-zone shift); a Date gives its UTC calendar day, which is the day it was made from
 * when it came from `new Date("2024-01-02")`.
 */
export function toSoqlDate(value: Date | string): string {
  if (typeof value === "string") {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const check = match ? new Date(`${value}T00:00:00Z`) : undefined;
    if (!match || !check || Number.isNaN(check.getTime()) || check.getUTCDate() !== Number(match[3])) {
      throw new ConfigurationError(`${JSON.stringify(value)} is not a date in the form YYYY-MM-DD.`);
    }
    return value;
  }
  checkDate(value, "A date value");
  return `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
}

/** Inserts SOQL text as it is. Only for text you wrote yourself: it is not escaped. */
export const soqlRaw = (text: string): SoqlLiteral => new SoqlLiteral(text);
/** A date literal (`YYYY-MM-DD`) for date fields; see `toSoqlDate`. */
export const soqlDate = (value: Date | string): SoqlLiteral => new SoqlLiteral(toSoqlDate(value));
/** A dateTime literal in UTC for dateTime fields (what a plain Date gives too). */
export const soqlDateTime = (value: Date): SoqlLiteral => new SoqlLiteral(toSoqlDateTime(value));

/**
 * A quoted LIKE pattern whose `%` and `_` match themselves:
 * `soqlLike("50%_off")` → `'%50\%\_off%'` (mode "contains", the default), "startsWith",
 * "endsWith" or "exact".
 */
export function soqlLike(
  value: string,
  mode: "contains" | "startsWith" | "endsWith" | "exact" = "contains",
): SoqlLiteral {
  if (typeof value !== "string") throw new ConfigurationError("soqlLike() takes a string.");
  const body = escapeSoqlLike(value);
  const before = mode === "contains" || mode === "endsWith" ? "%" : "";
  const after = mode === "contains" || mode === "startsWith" ? "%" : "";
  return new SoqlLiteral(`'${before}${body}${after}'`);
}

function scalar(value: unknown, where: string): string {
  if (value === null) return "null";
  if (value instanceof SoqlLiteral) return value.text;
  if (value instanceof Date) return toSoqlDateTime(value);
  switch (typeof value) {
    case "string":
      return `'${escapeSoqlString(value)}'`;
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "number":
      if (!Number.isFinite(value)) {
        throw new ConfigurationError(
          `${where} is ${value}; SOQL has no literal for it. Pass a finite number.`,
        );
      }
      return numberText(value);
    case "undefined":
      throw new ConfigurationError(`${where} is undefined; pass null to compare with null.`);
    default:
      throw new ConfigurationError(
        `${where} cannot be written as a SOQL literal (${Object.prototype.toString.call(value)}); pass a string, number, boolean, null, Date, array or soqlRaw(...).`,
      );
  }
}

/** Decimal text without exponent notation (SOQL does not read `1e21`). */
function numberText(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = "", exp] = match;
  const digits = whole! + fraction;
  const point = whole!.length + Number(exp);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Writes one value as a SOQL literal: strings quoted and escaped, arrays as `('a','b')` for IN. */
export function soqlLiteral(value: unknown, where = "The value"): string {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new ConfigurationError(
        `${where} is an empty array; SOQL does not accept IN (). Skip the condition when the list is empty.`,
      );
    }
    return `(${value
      .map((item, index) => {
        if (Array.isArray(item)) throw new ConfigurationError(`${where}[${index}] is a nested array.`);
        return scalar(item, `${where}[${index}]`);
      })
      .join(",")})`;
  }
  return scalar(value, where);
}

/**
 * Fills `:name` placeholders in a SOQL template with escaped literals.
 *
 * - `:name` → the value as a literal (strings quoted and escaped, numbers, booleans, `null`,
 *   a Date as a UTC dateTime, an array as `('a','b')` for IN).
 * - `:name:like` → the string escaped for LIKE, unquoted, for use inside your own quotes:
 *   `Name LIKE '%:term:like%'`.
 * - `:name:date` → a date literal `YYYY-MM-DD`; `:name:datetime` → a dateTime literal.
 * - `:name:literal` → the value inserted as it is.
 *
 * Placeholders outside string literals must all have a value (a missing one is an error);
 * inside quotes only names present in `params` are replaced.
 */
export function formatSoql(template: string, params: Record<string, unknown> = {}): string {
  if (typeof template !== "string") throw new ConfigurationError("formatSoql() takes a template string.");
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new ConfigurationError(
      'formatSoql() takes its values as an object of named parameters: formatSoql("... WHERE Name = :name", { name }).',
    );
  }
  let out = "";
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (inString && c === "\\") {
      out += c + (template[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "'") {
      inString = !inString;
      out += c;
      continue;
    }
    if (c === "{" && !inString) {
      // SOQL has no braces: this is simple-salesforce's format_soql("... {}") placeholder syntax.
      throw new ConfigurationError(
        `formatSoql: the template has "${/^\{[^}]*\}?/.exec(template.slice(i))?.[0]}" outside quotes; SOQL has no braces. Placeholders are :name (formatSoql("... WHERE Name = :name", { name })), or use the soql\`...\${value}\` tag.`,
      );
    }
    if (c === ":") {
      const match = /^:([A-Za-z_][A-Za-z0-9_]*)(?::(like|literal|date|datetime)\b)?/.exec(template.slice(i));
      const prev = template[i - 1] ?? "";
      if (match && !/[A-Za-z0-9_]/.test(prev)) {
        const name = match[1]!;
        const modifier = match[2];
        const has = Object.hasOwn(params, name);
        if (!has) {
          if (inString) {
            out += c;
            continue;
          }
          throw new ConfigurationError(
            `formatSoql: the template uses :${name} but params has no "${name}". Add it, or remove the placeholder.`,
          );
        }
        const value = params[name];
        out += render(value, modifier, `:${name}`, inString);
        i += match[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  if (inString) {
    throw new ConfigurationError(
      "formatSoql: the template has an unterminated string literal (a ' without its closing ').",
    );
  }
  return out;
}

function render(value: unknown, modifier: string | undefined, where: string, inString: boolean): string {
  switch (modifier) {
    case "like":
      if (typeof value !== "string") throw new ConfigurationError(`${where}:like needs a string value.`);
      return escapeSoqlLike(value);
    case "literal":
      return String(value instanceof SoqlLiteral ? value.text : value);
    case "date":
      if (!(value instanceof Date) && typeof value !== "string")
        throw new ConfigurationError(`${where}:date needs a Date or a "YYYY-MM-DD" string.`);
      return toSoqlDate(value);
    case "datetime":
      if (!(value instanceof Date)) throw new ConfigurationError(`${where}:datetime needs a Date.`);
      return toSoqlDateTime(value);
    default:
      if (inString) {
        if (typeof value !== "string") {
          throw new ConfigurationError(
            `${where} is inside quotes but is not a string; remove the quotes around it or pass a string.`,
          );
        }
        return escapeSoqlString(value);
      }
      return soqlLiteral(value, where);
  }
}

/**
 * Tagged template for SOQL: every `${value}` becomes an escaped literal, as `formatSoql`
 * writes it. `soql\`SELECT Id FROM Contact WHERE LastName = ${name}\``.
 */
export function soql(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    out += soqlLiteral(values[i], `The value #${i + 1}`) + (strings[i + 1] ?? "");
  }
  return out;
}

/** Percent-encodes one path segment: everything but `A-Z a-z 0-9 - _ . ~` (so `/`, `'`, `(`, space...). */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `field/value` for `upsert` and `getByCustomId`, the value percent-encoded as one path
 * segment: `formatExternalId("name", "some/other'type value")` → `name/some%2Fother%27type%20value`.
 */
export function formatExternalId(field: string, value: string | number | bigint): string {
  if (typeof field !== "string" || !/^[A-Za-z][A-Za-z0-9_]*$/.test(field)) {
    throw new ConfigurationError(
      `formatExternalId: ${JSON.stringify(field)} is not a field API name (e.g. "My_Ext_Id__c").`,
    );
  }
  if (value === undefined || value === null || value === "") {
    throw new ConfigurationError(`formatExternalId: the value for ${field} is empty.`);
  }
  return `${field}/${encodePathSegment(String(value))}`;
}

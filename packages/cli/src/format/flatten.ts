/** A record's value at a dotted path, with keys matched case-insensitively (SOQL is case-insensitive). */
export function valueAt(record: Record<string, unknown>, path: string): unknown {
  // Flat rows (Bulk API CSV) carry "Account.Name" as one key.
  if (path.includes(".") && path in record) return record[path] ?? null;
  let current: unknown = record;
  for (const part of path.split(".")) {
    if (current === null || current === undefined || typeof current !== "object") return null;
    const object = current as Record<string, unknown>;
    if (part in object) {
      current = object[part];
      continue;
    }
    const lower = part.toLowerCase();
    const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
    current = key === undefined ? null : object[key];
  }
  return current === undefined ? null : current;
}

/** Whether a value is a subquery result (`{ totalSize, done, records }`). */
export function isChildResult(value: unknown): value is { totalSize: number; records: unknown[] } {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as { records?: unknown }).records) &&
    "totalSize" in value
  );
}

/**
 * The column paths of a record: relationship objects become `Account.Name`, `Owner.Manager.Email`;
 * subqueries and compound fields (Address, Location) stay one column each.
 */
export function columnsOf(record: Record<string, unknown>, prefix = ""): string[] {
  const columns: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (key === "attributes") continue;
    if (
      value &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      "attributes" in value &&
      !isChildResult(value)
    ) {
      columns.push(...columnsOf(value as Record<string, unknown>, `${prefix}${key}.`));
    } else {
      columns.push(`${prefix}${key}`);
    }
  }
  return columns;
}

/** Adds the columns of more records (a null relationship on the first row hides its fields). */
export function mergeColumns(columns: string[], records: Iterable<Record<string, unknown>>): string[] {
  const seen = new Set(columns.map((c) => c.toLowerCase()));
  const out = [...columns];
  for (const record of records) {
    for (const column of columnsOf(record)) {
      if (seen.has(column.toLowerCase())) continue;
      // A relationship that was null has a bare column ("Account") that its fields replace.
      const parent = out.findIndex((c) => column.toLowerCase().startsWith(`${c.toLowerCase()}.`));
      if (parent >= 0) {
        seen.delete(out[parent]!.toLowerCase());
        out.splice(parent, 1, column);
      } else out.push(column);
      seen.add(column.toLowerCase());
    }
  }
  return out;
}

/**
 * The columns a SOQL query asks for, in its order: `Account.Name` for parent fields,
 * aliases and `expr0`-style names for aggregates, the relationship name for subqueries.
 * Undefined when the list cannot be known from the text (FIELDS(ALL), TYPEOF).
 */
export function soqlColumns(soql: string): string[] | undefined {
  const text = soql.trim();
  const start = /^select\s+/i.exec(text);
  if (!start) return undefined;
  const items: string[] = [];
  let depth = 0;
  let quote = false;
  let current = "";
  let i = start[0].length;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      current += ch;
      if (ch === "\\") {
        current += text[++i] ?? "";
      } else if (ch === "'") quote = false;
      continue;
    }
    if (ch === "'") quote = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (depth === 0 && ch === ",") {
      items.push(current.trim());
      current = "";
      continue;
    }
    if (depth === 0 && /\s/.test(ch) && /^from\s/i.test(text.slice(i + 1)) && current.trim()) {
      items.push(current.trim());
      current = "";
      break;
    }
    current += ch;
  }
  if (current.trim() || items.length === 0) return undefined;
  const columns: string[] = [];
  let expr = 0;
  for (const item of items) {
    if (item.startsWith("(")) {
      const from = /\bfrom\s+([\w.]+)/i.exec(item);
      if (!from) return undefined;
      columns.push(from[1]!);
      continue;
    }
    if (/^(typeof)\b/i.test(item) || /^fields\s*\(/i.test(item)) return undefined;
    const call = /^(\w+)\s*\(([^)]*)\)\s*(\w+)?$/.exec(item);
    if (call) {
      const fn = call[1]!.toLowerCase();
      if (call[3]) columns.push(call[3]);
      else if (fn === "tolabel" || fn === "convertcurrency" || fn === "format") columns.push(call[2]!.trim());
      else columns.push(`expr${expr++}`);
      continue;
    }
    const parts = item.split(/\s+/);
    columns.push(parts.length === 2 ? parts[1]! : parts[0]!);
  }
  return columns;
}

/** Text for one cell: null → "", objects → compact JSON, child results → their records as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (isChildResult(value)) return JSON.stringify(value.records.map(stripAttributes));
  return JSON.stringify(stripAttributes(value));
}

/** A record without the `attributes` keys (at every level). */
export function stripAttributes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAttributes);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== "attributes") out[key] = stripAttributes(inner);
  }
  return out;
}

/** The columns with the casing the records use ("account.name" in the SOQL → "Account.Name"). */
export function resolveColumns(columns: string[], record: Record<string, unknown> | undefined): string[] {
  if (!record) return columns;
  return columns.map((column) => {
    if (column in record) return column;
    const flat = Object.keys(record).find((k) => k.toLowerCase() === column.toLowerCase());
    if (flat) return flat;
    const parts: string[] = [];
    let current: unknown = record;
    for (const part of column.split(".")) {
      if (current === null || typeof current !== "object") return column;
      const key = Object.keys(current as object).find((k) => k.toLowerCase() === part.toLowerCase());
      if (key === undefined) return column;
      parts.push(key);
      current = (current as Record<string, unknown>)[key];
    }
    return parts.join(".");
  });
}

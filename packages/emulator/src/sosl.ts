// SOSL: FIND {term} [IN ALL|NAME|EMAIL|PHONE|SIDEBAR FIELDS] [RETURNING Obj[(fields [WHERE] [ORDER BY]
// [LIMIT n] [OFFSET n])], ...] [WITH ...] [LIMIT n]. Search terms are matched against record tokens;
// the per-object field lists, WHERE and ORDER BY run through the SOQL engine.
import { restError } from "./errors.js";
import type { Org } from "./org.js";
import type { FieldDef, ObjectDef } from "./schema/types.js";
import { executeSoql } from "./soql/engine.js";
import type { StoredRecord } from "./store.js";

export type SearchScope = "ALL" | "NAME" | "EMAIL" | "PHONE" | "SIDEBAR";

export interface SearchObjectSpec {
  name: string;
  /** SOQL select list (default `Id`). */
  fields?: string;
  /** SOQL tail: `WHERE ...` and/or `ORDER BY ...` (no LIMIT/OFFSET). */
  tail?: string;
  limit?: number;
  offset?: number;
}

export interface SearchSpec {
  /** The term as written between the braces (escapes included). */
  term: string;
  scope: SearchScope;
  /** Objects to search (all searchable objects when empty). */
  objects: SearchObjectSpec[];
  limit?: number;
}

const searchError = (message: string) => restError(400, "MALFORMED_SEARCH", message);

// ------------------------------------------------------------------ term matching

type Node =
  | { kind: "any" }
  | { kind: "and" | "or"; a: Node; b: Node }
  | { kind: "not"; a: Node }
  | { kind: "word"; re: RegExp }
  | { kind: "phrase"; words: RegExp[] };

interface Tok {
  type: "word" | "phrase" | "(" | ")" | "AND" | "OR" | "NOT";
  /** For words/phrases: pieces, each [text, isLiteral] (escaped characters are literal). */
  parts?: { text: string; literal: boolean }[];
}

function tokenizeTerm(term: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < term.length) {
    const c = term[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      toks.push({ type: c });
      i++;
      continue;
    }
    if (c === '"') {
      const parts: { text: string; literal: boolean }[] = [];
      i++;
      while (i < term.length && term[i] !== '"') {
        if (term[i] === "\\" && i + 1 < term.length) {
          parts.push({ text: term[i + 1]!, literal: true });
          i += 2;
        } else parts.push({ text: term[i++]!, literal: false });
      }
      i++;
      toks.push({ type: "phrase", parts });
      continue;
    }
    const parts: { text: string; literal: boolean }[] = [];
    while (i < term.length && !/[\s()"]/.test(term[i]!)) {
      if (term[i] === "\\" && i + 1 < term.length) {
        parts.push({ text: term[i + 1]!, literal: true });
        i += 2;
      } else parts.push({ text: term[i++]!, literal: false });
    }
    const raw = parts.map((p) => (p.literal ? "" : p.text)).join("");
    if (parts.every((p) => !p.literal) && /^(AND|OR|NOT)$/i.test(raw))
      toks.push({ type: raw.toUpperCase() as Tok["type"] });
    else toks.push({ type: "word", parts });
  }
  return toks;
}

/** Splits a word's pieces on punctuation into token regexes (wildcards * and ? when unescaped). */
function wordRegexes(parts: { text: string; literal: boolean }[]): RegExp[] {
  const words: string[] = [];
  let cur = "";
  for (const p of parts) {
    if (!p.literal && (p.text === "*" || p.text === "?")) {
      cur += p.text === "*" ? "\u0000" : "\u0001";
    } else if (/[\p{L}\p{N}]/u.test(p.text)) {
      cur += p.text;
    } else {
      if (cur) words.push(cur);
      cur = "";
    }
  }
  if (cur) words.push(cur);
  return words.map(
    (w) =>
      new RegExp(
        "^" +
          w
            .toLowerCase()
            .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
            .replace(/\u0000/g, "[\\p{L}\\p{N}]*")
            .replace(/\u0001/g, "[\\p{L}\\p{N}]") +
          "$",
        "u",
      ),
  );
}

function parseTerm(term: string): Node {
  const toks = tokenizeTerm(term);
  let i = 0;
  const leafOf = (t: Tok): Node => {
    const res = wordRegexes(t.parts ?? []);
    // A term made only of punctuation (an escaped `&`) is not indexed: it matches anything.
    if (res.length === 0) return { kind: "any" };
    if (res.length === 1 && t.type === "word") return { kind: "word", re: res[0]! };
    return { kind: "phrase", words: res };
  };
  const parseOr = (): Node => {
    let a = parseAnd();
    while (toks[i]?.type === "OR") {
      i++;
      a = { kind: "or", a, b: parseAnd() };
    }
    return a;
  };
  const parseAnd = (): Node => {
    let a = parseUnary();
    for (;;) {
      const t = toks[i];
      if (!t || t.type === "OR" || t.type === ")") return a;
      if (t.type === "AND") i++;
      a = { kind: "and", a, b: parseUnary() };
    }
  };
  const parseUnary = (): Node => {
    const t = toks[i++];
    if (!t) throw searchError("No search term found. The search term must be enclosed in braces.");
    if (t.type === "NOT") return { kind: "not", a: parseUnary() };
    if (t.type === "(") {
      const e = parseOr();
      if (toks[i]?.type === ")") i++;
      return e;
    }
    if (t.type === "word" || t.type === "phrase") return leafOf(t);
    throw searchError(`unexpected token: '${t.type}'`);
  };
  const node = parseOr();
  return node;
}

function matchNode(n: Node, tokens: string[]): boolean {
  switch (n.kind) {
    case "any":
      return true;
    case "and":
      return matchNode(n.a, tokens) && matchNode(n.b, tokens);
    case "or":
      return matchNode(n.a, tokens) || matchNode(n.b, tokens);
    case "not":
      return !matchNode(n.a, tokens);
    case "word":
      return tokens.some((t) => n.re.test(t));
    case "phrase": {
      const w = n.words;
      if (!w.length) return false;
      outer: for (let s = 0; s + w.length <= tokens.length; s++) {
        for (let k = 0; k < w.length; k++) if (!w[k]!.test(tokens[s + k]!)) continue outer;
        return true;
      }
      return false;
    }
  }
}

function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function scopeFields(def: ObjectDef, scope: SearchScope): FieldDef[] {
  const text = (f: FieldDef) =>
    ["string", "textarea", "email", "phone", "url", "picklist", "multipicklist", "combobox"].includes(
      f.type,
    ) && !f.calculated;
  switch (scope) {
    case "NAME":
      return def.fields.filter((f) => f.nameField || f.name === "FirstName" || f.name === "LastName");
    case "EMAIL":
      return def.fields.filter((f) => f.type === "email");
    case "PHONE":
      return def.fields.filter((f) => f.type === "phone");
    default:
      return def.fields.filter(text);
  }
}

// ------------------------------------------------------------------ SOSL text parsing

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      cur += c;
      if (c === "\\") cur += text[++i] ?? "";
      else if (c === "'") quote = false;
      continue;
    }
    if (c === "'") quote = true;
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

/** Index of the first top-level (outside parentheses and quotes) match of the regex, or -1. */
function topLevelIndex(text: string, re: RegExp): number {
  let depth = 0;
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === "'") quote = false;
      continue;
    }
    if (c === "'") quote = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && (i === 0 || /\s|,|\)/.test(text[i - 1]!))) {
      const m = re.exec(text.slice(i));
      if (m && m.index === 0) return i;
    }
  }
  return -1;
}

function objectSpec(item: string): SearchObjectSpec {
  const m = /^\s*([A-Za-z0-9_]+)\s*(?:\(([\s\S]*)\))?\s*$/.exec(item);
  if (!m) throw searchError(`unexpected token: '${item.trim()}'`);
  const spec: SearchObjectSpec = { name: m[1]! };
  const inner = m[2]?.trim();
  if (!inner) return spec;
  const kw = topLevelIndex(inner, /^(WHERE|ORDER\s+BY|LIMIT|OFFSET|WITH|USING)\b/i);
  spec.fields = (kw < 0 ? inner : inner.slice(0, kw)).trim() || "Id";
  let tail = kw < 0 ? "" : inner.slice(kw);
  const lim = /\bLIMIT\s+(\d+)/i.exec(tail);
  const off = /\bOFFSET\s+(\d+)/i.exec(tail);
  if (lim) spec.limit = Number(lim[1]);
  if (off) spec.offset = Number(off[1]);
  tail = tail
    .replace(/\bLIMIT\s+\d+/i, "")
    .replace(/\bOFFSET\s+\d+/i, "")
    .trim();
  if (tail) spec.tail = tail;
  return spec;
}

/** Parses SOSL text into a search spec. */
export function parseSosl(sosl: string): SearchSpec {
  const m = /^\s*FIND\s*/i.exec(sosl);
  if (!m) throw searchError("No search term found. The search term must be enclosed in braces.");
  let i = m[0].length;
  if (sosl[i] !== "{") throw searchError("No search term found. The search term must be enclosed in braces.");
  i++;
  let term = "";
  for (; i < sosl.length; i++) {
    const c = sosl[i]!;
    if (c === "\\" && i + 1 < sosl.length) {
      term += c + sosl[i + 1];
      i++;
    } else if (c === "}") break;
    else term += c;
  }
  if (sosl[i] !== "}") throw searchError("No search term found. The search term must be enclosed in braces.");
  let rest = sosl.slice(i + 1).trim();
  let scope: SearchScope = "ALL";
  const inM = /^IN\s+(ALL|NAME|EMAIL|PHONE|SIDEBAR)\s+FIELDS\b/i.exec(rest);
  if (inM) {
    scope = inM[1]!.toUpperCase() as SearchScope;
    rest = rest.slice(inM[0].length).trim();
  }
  const spec: SearchSpec = { term, scope, objects: [] };
  if (/^RETURNING\b/i.test(rest)) {
    rest = rest.replace(/^RETURNING\s*/i, "");
    const end = topLevelIndex(rest, /^(WITH|LIMIT|UPDATE)\b/i);
    const list = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? "" : rest.slice(end);
    spec.objects = splitTopLevel(list).map(objectSpec);
  }
  const lim = /\bLIMIT\s+(\d+)\s*$/i.exec(rest);
  if (lim) spec.limit = Number(lim[1]);
  return spec;
}

// ------------------------------------------------------------------ execution

/** Runs a search; returns rendered records grouped by object (RETURNING order). */
export function runSearch(org: Org, spec: SearchSpec, version: string): Record<string, unknown>[] {
  const visible = spec.term.replace(/\\./g, "x").replace(/[*?"()\s]/g, "");
  if (visible.length < 2) throw searchError("search term must be longer than one character");
  const node = parseTerm(spec.term);
  const objects: SearchObjectSpec[] = spec.objects.length
    ? spec.objects
    : org.schema
        .list()
        .filter((o) => o.flags.searchable !== false && !o.tooling && o.name !== "Organization")
        .map((o) => ({ name: o.name }));
  let remaining = spec.limit ?? 2000;
  const out: Record<string, unknown>[] = [];
  for (const o of objects) {
    const def = org.schema.get(o.name);
    if (!def) {
      throw restError(
        400,
        "INVALID_TYPE",
        `sObject type '${o.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    if (remaining <= 0) break;
    const fields = scopeFields(def, spec.scope);
    const soql = `SELECT ${o.fields ?? "Id"} FROM ${def.name}${o.tail ? ` ${o.tail}` : ""}`;
    const res = executeSoql(org, soql, { now: org.now() });
    let skipped = 0;
    let taken = 0;
    const limit = Math.min(o.limit ?? Number.POSITIVE_INFINITY, remaining);
    for (const row of res.rows as StoredRecord[]) {
      const tokens: string[] = [];
      for (const f of fields) {
        const v = row[f.name];
        if (typeof v === "string")
          tokens.push(...(f.type === "phone" ? [v.replace(/\D/g, ""), ...tokenize(v)] : tokenize(v)));
      }
      if (!matchNode(node, tokens)) continue;
      if (skipped < (o.offset ?? 0)) {
        skipped++;
        continue;
      }
      out.push(res.render(row, { version }));
      taken++;
      if (taken >= limit) break;
    }
    remaining -= taken;
  }
  return out;
}

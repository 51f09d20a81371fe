// The SOQL engine: parses with @jetstreamapp/soql-parser-js, compiles the query against the schema
// (projection, WHERE predicate, ORDER BY comparator, aggregates) and runs it over the record store.
import {
  type Condition,
  type FieldType as AstFieldType,
  type FunctionExp,
  type HavingClause,
  type OrderByClause,
  parseQuery,
  type Query,
  type Subquery,
  type WhereClause,
} from "@jetstreamapp/soql-parser-js";
import { formatDateTime, parseDate, parseDateTime, utcOffsetMs } from "../dates.js";
import { isValidId, to18 } from "../ids.js";
import { JsonDouble } from "../json.js";
import { isNumberType, isStringType } from "../schema/describe.js";
import type { Schema } from "../schema/schema.js";
import type { ChildRelationship, FieldDef, ObjectDef } from "../schema/types.js";
import type { RecordStore, StoredRecord } from "../store.js";
import { dateLiteralRange } from "./date-literals.js";
import { badRelationship, noSuchColumn, soqlError, unsupportedType } from "./errors.js";
import { recordUrl, renderValue, wrapNumber } from "./render.js";

export interface SoqlContext {
  schema: Schema;
  store: RecordStore;
}

export interface SoqlOptions {
  /** queryAll: include rows in the recycle bin. */
  includeDeleted?: boolean;
  /** Current time for date literals (default Date.now()). */
  now?: number;
  /** Tooling API query (record urls under /tooling). */
  tooling?: boolean;
  /** The querying user's IANA time zone: date literals (TODAY, LAST_N_DAYS:n, ...) are days in it. */
  timeZone?: string;
}

export interface RenderOptions {
  /** API version for attribute urls, e.g. "64.0". */
  version: string;
  /** Page size for child subquery results (rows beyond it are left to a locator). */
  childPageSize?: number;
  /**
   * Called when a child subquery has more rows than childPageSize: register the remaining rows
   * and return the nextRecordsUrl. Without it, every child row is inlined.
   */
  childLocator?: (
    rows: StoredRecord[],
    render: (r: StoredRecord) => Record<string, unknown>,
    start: number,
  ) => string;
}

export interface QueryResult {
  object: ObjectDef;
  /** Object name, or AggregateResult. */
  entityTypeName: string;
  /** SELECT COUNT(): only totalSize matters. */
  countOnly: boolean;
  aggregate: boolean;
  totalSize: number;
  /** Matching rows (stored records, or finished aggregate rows), after ORDER BY/OFFSET/LIMIT. */
  rows: readonly unknown[];
  /** Renders one row as REST JSON (attributes first, SELECT order). */
  render(row: unknown, opts: RenderOptions): Record<string, unknown>;
  /** Flat column names in SELECT order (relationship paths as `Account.Name`); no subqueries. */
  columns: string[];
  /** Values of one row by flat column (for CSV output); null for missing. */
  flatten(row: unknown): unknown[];
}

type Getter = (r: StoredRecord) => unknown;

interface Resolved {
  get: Getter;
  field: FieldDef;
  def: ObjectDef;
}

type Proj =
  | { kind: "field"; key: string; field: FieldDef; path: string }
  | { kind: "rel"; key: string; field: FieldDef; children: Proj[] }
  | { kind: "child"; key: string; rel: ChildRelationship; sub: CompiledQuery }
  | { kind: "typeof"; key: string; field: FieldDef; whens: Map<string, string[]>; otherwise: string[] };

interface CompiledQuery {
  def: ObjectDef;
  projs: Proj[];
  where?: (r: StoredRecord) => boolean;
  order?: (a: StoredRecord, b: StoredRecord) => number;
  orderKeys?: { get: Getter; desc: boolean; nullsFirst: boolean; field?: FieldDef }[];
  limit?: number;
  offset?: number;
}

interface Env {
  ctx: SoqlContext;
  soql: string;
  now: number;
  includeDeleted: boolean;
  tooling: boolean;
  timeZone?: string;
}

const DAY = 86_400_000;

function unquote(s: string): string {
  let t = s;
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) t = t.slice(1, -1);
  return t.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, c: string) => {
    if (c.length === 5) return String.fromCharCode(Number.parseInt(c.slice(1), 16));
    switch (c) {
      case "n":
      case "N":
        return "\n";
      case "r":
      case "R":
        return "\r";
      case "t":
      case "T":
        return "\t";
      case "b":
      case "B":
        return "\b";
      case "f":
      case "F":
        return "\f";
      case "%":
        return "\\%";
      case "_":
        return "\\_";
      default:
        return c;
    }
  });
}

function parse(soql: string): Query {
  try {
    return parseQuery(soql) as Query;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const found = /but found:? (?:--> )?'([^']*)'/.exec(msg)?.[1];
    let token = found;
    let after = 0;
    if (!token) {
      // The parser ran out of input: either the query stops after a word that needs more
      // (`... WHERE`, `... AND`) — Salesforce says <EOF> — or it ends with a stray word.
      const last = soql.trim().split(/\s+/).pop() ?? "";
      const needsMore =
        /^(SELECT|FROM|WHERE|AND|OR|NOT|BY|ORDER|GROUP|HAVING|LIMIT|OFFSET|IN|LIKE|INCLUDES|EXCLUDES|=|!=|<|>|<=|>=|,|\(|WITH|USING|SCOPE|TYPEOF|WHEN|THEN|ELSE)$/i;
      if (needsMore.test(last) || /[,(=<>]$/.test(last)) {
        const pos = soql.trimEnd().length;
        throw soqlError("MALFORMED_QUERY", soql, undefined, "unexpected token: <EOF>", pos);
      }
      token = last;
      // The stray word is the last one: point there, not at an earlier use of the same word.
      after = Math.max(0, soql.trimEnd().length - last.length - 1);
    }
    throw soqlError(
      "MALFORMED_QUERY",
      soql,
      token || undefined,
      `unexpected token: ${token ? `'${token}'` : "<EOF>"}`,
      after,
    );
  }
}

function stripAlias(parts: string[], alias: string | undefined, def?: ObjectDef): string[] {
  if (parts.length < 2) return parts;
  const first = parts[0]!.toLowerCase();
  if (alias && first === alias.toLowerCase()) return parts.slice(1);
  // `SELECT Account.Name FROM Account`: the object name works as an implicit alias.
  if (def && first === def.name.toLowerCase() && !def.relationshipMap.has(first)) return parts.slice(1);
  return parts;
}

function targetOf(env: Env, f: FieldDef): ObjectDef | undefined {
  for (const r of f.referenceTo) {
    const d = env.ctx.schema.get(r);
    if (d) return d;
  }
  return undefined;
}

/** Resolves `Name`, `Account.Name`, `Account.Owner.Email` to a getter and the final field. */
function resolvePath(env: Env, def: ObjectDef, raw: string, alias?: string): Resolved {
  const parts = stripAlias(raw.split("."), alias, def);
  let cur = def;
  const steps: FieldDef[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    const rel = cur.relationshipMap.get(parts[i]!.toLowerCase());
    if (!rel) throw badRelationship(env.soql, parts[i]!, raw);
    const next = targetOf(env, rel);
    if (!next) throw badRelationship(env.soql, parts[i]!, raw);
    steps.push(rel);
    cur = next;
  }
  const last = parts[parts.length - 1]!;
  const field = cur.fieldMap.get(last.toLowerCase());
  if (!field) {
    if (steps.length === 0) throw noSuchColumn(env.soql, last, cur.name);
    throw noSuchColumn(env.soql, raw, def.name);
  }
  const store = env.ctx.store;
  const name = field.name;
  let get: Getter;
  if (steps.length === 0) {
    get =
      field.type === "address" || field.type === "location"
        ? (r) => renderValue(cur, field, r)
        : (r) => r[name];
  } else {
    const finalDef = cur;
    get = (r) => {
      let x: StoredRecord | undefined = r;
      for (const s of steps) {
        const id = x[s.name];
        if (typeof id !== "string") return undefined;
        x = store.get(id);
        if (!x) return undefined;
      }
      return field.type === "address" || field.type === "location"
        ? renderValue(finalDef, field, x)
        : x[name];
    };
  }
  return { get, field, def: cur };
}

// ------------------------------------------------------------------ comparison values

type Norm = string | number | boolean | null;

function normalize(f: FieldDef | undefined, v: unknown): Norm {
  if (v === undefined || v === null) return null;
  if (!f) return typeof v === "string" ? v.toLowerCase() : (v as Norm);
  switch (f.type) {
    case "date":
      return typeof v === "string" ? parseDate(v) : (v as number);
    case "datetime":
      return typeof v === "string" ? parseDateTime(v) : (v as number);
    case "id":
    case "reference":
      return v as string;
    default:
      if (typeof v === "string") return isStringType(f.type) || f.type === "time" ? v.toLowerCase() : v;
      if (v instanceof JsonDouble) return v.value;
      return v as Norm;
  }
}

function compareNorm(a: Norm, b: Norm): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function typeLabel(f: FieldDef): string {
  if (isNumberType(f.type)) return f.type === "int" ? "int" : f.type === "currency" ? "currency" : "double";
  if (f.type === "datetime") return "dateTime";
  if (f.type === "reference" || f.type === "id") return "id";
  return f.type;
}

interface Literal {
  value?: Norm;
  range?: [number, number];
}

function literal(
  env: Env,
  f: FieldDef | undefined,
  rawValue: string,
  litType: string | undefined,
  dateN?: number,
): Literal {
  const type = (litType ?? "STRING").toUpperCase();
  const ft = f?.type;
  const isDateField = ft === "date" || ft === "datetime";
  const quotedOk =
    !f ||
    isStringType(f.type) ||
    ft === "id" ||
    ft === "reference" ||
    ft === "time" ||
    ft === "base64" ||
    ft === "anyType";
  switch (type) {
    case "NULL":
      return { value: null };
    case "STRING": {
      const s = unquote(rawValue);
      if (f && !quotedOk) {
        throw soqlError(
          "INVALID_FIELD",
          env.soql,
          rawValue,
          `value of filter criterion for field '${f.name}' must be of type ${typeLabel(f)} and should not be enclosed in quotes`,
        );
      }
      if (ft === "id" || ft === "reference") {
        if (isValidId(s)) return { value: to18(s) };
        if (ft === "id" || s !== "") {
          throw soqlError("INVALID_QUERY_FILTER_OPERATOR", env.soql, rawValue, `invalid ID field: ${s}`);
        }
        return { value: null };
      }
      return { value: ft === "time" ? s.toLowerCase() : s.toLowerCase() };
    }
    case "INTEGER":
    case "DECIMAL":
    case "INTEGER_WITH_CURRENCY_PREFIX":
    case "DECIMAL_WITH_CURRENCY_PREFIX": {
      if (f && (isStringType(f.type) || ft === "id" || ft === "reference")) {
        throw soqlError(
          "INVALID_FIELD",
          env.soql,
          rawValue,
          `value of filter criterion for field '${f.name}' must be of type ${typeLabel(f)} and should be enclosed in quotes`,
        );
      }
      return { value: Number(rawValue.replace(/^[A-Z]{3}/, "")) };
    }
    case "BOOLEAN":
      return { value: rawValue.toUpperCase() === "TRUE" };
    case "DATE": {
      const ms = parseDate(rawValue);
      return ft === "datetime" ? { range: [ms, ms + DAY] } : { value: ms };
    }
    case "DATETIME": {
      const ms = parseDateTime(rawValue);
      return ft === "date" ? { value: Math.floor(ms / DAY) * DAY } : { value: ms };
    }
    case "DATE_LITERAL":
    case "DATE_N_LITERAL": {
      if (f && !isDateField) {
        throw soqlError(
          "INVALID_FIELD",
          env.soql,
          rawValue,
          `value of filter criterion for field '${f.name}' must be of type ${typeLabel(f)} and should be enclosed in quotes`,
        );
      }
      const [name, n] = rawValue.split(":");
      // Days are the user's days: compute the range on the local wall clock, then (for
      // datetime fields) turn its bounds back into UTC instants.
      const offsetNow = utcOffsetMs(env.timeZone, env.now);
      const local = dateLiteralRange(name!, env.now + offsetNow, dateN ?? Number(n ?? 0));
      if (!local) throw soqlError("MALFORMED_QUERY", env.soql, rawValue, `unexpected token: '${rawValue}'`);
      const toUtc = (ms: number) => ms - utcOffsetMs(env.timeZone, ms - offsetNow);
      const range: [number, number] = ft === "datetime" ? [toUtc(local[0]), toUtc(local[1])] : local;
      return { range };
    }
    default:
      throw soqlError("MALFORMED_QUERY", env.soql, rawValue, `unexpected token: '${rawValue}'`);
  }
}

/**
 * A LIKE pattern straight from its quoted literal, escapes read once: `\\%` and `\\_` match
 * themselves, `\\\\` is one backslash, `\\n` & co. are controls; unescaped `%` and `_` are wildcards.
 */
function likeRegex(literal: string): RegExp {
  let t = literal;
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) t = t.slice(1, -1);
  const lit = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const controls: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };
  let re = "^";
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === "\\") {
      const next = t[i + 1] ?? "";
      const unicode = /^u[0-9a-fA-F]{4}/.exec(t.slice(i + 1));
      if (unicode) {
        re += lit(String.fromCharCode(Number.parseInt(unicode[0].slice(1), 16)));
        i += 5;
        continue;
      }
      re += lit(controls[next.toLowerCase()] ?? next);
      i++;
    } else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += lit(c);
  }
  return new RegExp(re + "$", "is");
}

// ------------------------------------------------------------------ date functions

function dateFn(name: string, v: unknown, type: string | undefined): unknown {
  if (v === null || v === undefined) return null;
  const ms = type === "date" ? parseDate(String(v)) : parseDateTime(String(v));
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  switch (name.toUpperCase()) {
    case "CALENDAR_YEAR":
    case "FISCAL_YEAR":
      return d.getUTCFullYear();
    case "CALENDAR_MONTH":
    case "FISCAL_MONTH":
      return d.getUTCMonth() + 1;
    case "CALENDAR_QUARTER":
    case "FISCAL_QUARTER":
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case "DAY_IN_MONTH":
      return d.getUTCDate();
    case "DAY_IN_WEEK":
      return d.getUTCDay() + 1;
    case "DAY_IN_YEAR":
      return Math.floor((ms - startOfYear) / DAY) + 1;
    case "HOUR_IN_DAY":
      return d.getUTCHours();
    case "WEEK_IN_MONTH":
      return Math.floor((d.getUTCDate() - 1) / 7) + 1;
    case "WEEK_IN_YEAR":
      return Math.floor((ms - startOfYear) / DAY / 7) + 1;
    case "DAY_ONLY":
      return new Date(ms).toISOString().slice(0, 10);
    default:
      return v;
  }
}

const DATE_FNS = new Set([
  "CALENDAR_YEAR",
  "CALENDAR_MONTH",
  "CALENDAR_QUARTER",
  "DAY_IN_MONTH",
  "DAY_IN_WEEK",
  "DAY_IN_YEAR",
  "DAY_ONLY",
  "FISCAL_MONTH",
  "FISCAL_QUARTER",
  "FISCAL_YEAR",
  "HOUR_IN_DAY",
  "WEEK_IN_MONTH",
  "WEEK_IN_YEAR",
  "CONVERTTIMEZONE",
]);

// ------------------------------------------------------------------ WHERE / HAVING

type Tok = "(" | ")" | "AND" | "OR" | "NOT" | { cond: Condition };

function flattenWhere(w: WhereClause | HavingClause | undefined, out: Tok[]): Tok[] {
  let node: (WhereClause | HavingClause) | undefined = w;
  while (node) {
    const left = (node as { left: (Condition & { openParen?: number; closeParen?: number }) | null }).left;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) out.push("(");
      if ("field" in left || "fn" in left) {
        out.push({ cond: left as Condition });
        for (let i = 0; i < ((left as { closeParen?: number }).closeParen ?? 0); i++) out.push(")");
      }
    }
    const op = (node as { operator?: string }).operator;
    if (op) out.push(op.toUpperCase() as Tok);
    node = (node as { right?: WhereClause }).right;
  }
  return out;
}

type Pred<T> = (r: T) => boolean;

function buildBool<T>(env: Env, toks: Tok[], leaf: (c: Condition) => Pred<T>): Pred<T> {
  let i = 0;
  const peek = () => toks[i];
  const parseOr = (): Pred<T> => {
    let a = parseAnd();
    while (peek() === "OR") {
      i++;
      const l = a;
      const r = parseAnd();
      a = (x) => l(x) || r(x);
    }
    return a;
  };
  const parseAnd = (): Pred<T> => {
    let a = parseNot();
    while (peek() === "AND") {
      i++;
      const l = a;
      const r = parseNot();
      a = (x) => l(x) && r(x);
    }
    return a;
  };
  const parseNot = (): Pred<T> => {
    if (peek() === "NOT") {
      i++;
      const inner = parseNot();
      return (x) => !inner(x);
    }
    const t = toks[i++];
    if (t === "(") {
      const e = parseOr();
      if (toks[i] === ")") i++;
      return e;
    }
    if (t && typeof t === "object") return leaf(t.cond);
    throw soqlError("MALFORMED_QUERY", env.soql, undefined, "unexpected token: <EOF>");
  };
  return parseOr();
}

function compileCondition<T>(
  env: Env,
  c: Condition,
  operand: (c: Condition) => { get: (r: T) => unknown; field?: FieldDef },
  semiJoin: (c: Condition) => Set<unknown>,
): Pred<T> {
  const anyC = c as Condition & {
    operator: string;
    value?: string | string[];
    literalType?: string | string[];
    valueQuery?: Query;
    dateLiteralVariable?: number | number[];
  };
  const { get, field } = operand(c);
  const op = anyC.operator.toUpperCase();
  const norm = (v: unknown) => normalize(field, v);
  if (anyC.valueQuery) {
    const set = semiJoin(c);
    const neg = op === "NOT IN";
    return (r) => {
      const v = get(r);
      return neg ? !set.has(v) : set.has(v);
    };
  }
  const values = Array.isArray(anyC.value) ? anyC.value : [anyC.value ?? "NULL"];
  const types = Array.isArray(anyC.literalType)
    ? anyC.literalType
    : values.map(() => anyC.literalType as string | undefined);
  const nvars = Array.isArray(anyC.dateLiteralVariable)
    ? anyC.dateLiteralVariable
    : values.map(() => anyC.dateLiteralVariable as number | undefined);
  const lits = values.map((v, i) =>
    literal(env, field, String(v), types[i] as string | undefined, nvars[i] as number | undefined),
  );
  if (op === "LIKE") {
    const re = likeRegex(String(values[0]));
    return (r) => {
      const v = get(r);
      return typeof v === "string" && re.test(v);
    };
  }
  if (op === "INCLUDES" || op === "EXCLUDES") {
    const wanted = values.map((v) =>
      unquote(String(v))
        .toLowerCase()
        .split(";")
        .map((s) => s.trim()),
    );
    const inc = op === "INCLUDES";
    return (r) => {
      const v = get(r);
      if (typeof v !== "string") return !inc;
      const have = new Set(v.toLowerCase().split(";"));
      const hit = wanted.some((w) => w.every((x) => have.has(x)));
      return inc ? hit : !hit;
    };
  }
  if (op === "IN" || op === "NOT IN") {
    const set = new Set(lits.map((l) => l.value));
    const neg = op === "NOT IN";
    return (r) => {
      const v = norm(get(r));
      if (v === null) return neg && !set.has(null);
      return neg ? !set.has(v) : set.has(v);
    };
  }
  const lit = lits[0]!;
  if (lit.range) {
    const [s, e] = lit.range;
    return (r) => {
      const v = norm(get(r));
      if (v === null || typeof v !== "number") return op === "!=";
      switch (op) {
        case "=":
          return v >= s && v < e;
        case "!=":
          return !(v >= s && v < e);
        case "<":
          return v < s;
        case "<=":
          return v < e;
        case ">":
          return v >= e;
        case ">=":
          return v >= s;
        default:
          return false;
      }
    };
  }
  const lv = lit.value ?? null;
  if (lv === null) {
    if (op === "=") return (r) => norm(get(r)) === null;
    if (op === "!=") return (r) => norm(get(r)) !== null;
    return () => false;
  }
  switch (op) {
    case "=":
      return (r) => norm(get(r)) === lv;
    case "!=":
      return (r) => norm(get(r)) !== lv;
    case "<":
      return (r) => {
        const v = norm(get(r));
        return v !== null && v < lv;
      };
    case "<=":
      return (r) => {
        const v = norm(get(r));
        return v !== null && v <= lv;
      };
    case ">":
      return (r) => {
        const v = norm(get(r));
        return v !== null && v > lv;
      };
    case ">=":
      return (r) => {
        const v = norm(get(r));
        return v !== null && v >= lv;
      };
    default:
      throw soqlError("MALFORMED_QUERY", env.soql, op, `unexpected token: '${op}'`);
  }
}

// ------------------------------------------------------------------ projection

function fnExpr(
  env: Env,
  def: ObjectDef,
  fn: FunctionExp,
  alias?: string,
): { get: Getter; field?: FieldDef } {
  const name = (fn.functionName ?? "").toUpperCase();
  const param = fn.parameters?.[0];
  if (typeof param === "object" && param) {
    const inner = fnExpr(env, def, param, alias);
    if (DATE_FNS.has(name) && name !== "CONVERTTIMEZONE") {
      return {
        get: (r) => dateFn(name, inner.get(r), inner.field?.type),
        field:
          name === "DAY_ONLY" && inner.field ? ({ ...inner.field, type: "date" } as FieldDef) : undefined,
      };
    }
    return inner;
  }
  const r = resolvePath(env, def, String(param ?? "Id"), alias);
  if (DATE_FNS.has(name)) {
    if (name === "CONVERTTIMEZONE") {
      // convertTimezone(dateTimeField): the value on the querying user's wall clock.
      return {
        get: (x) => {
          const v = r.get(x);
          if (typeof v !== "string") return v;
          const ms = parseDateTime(v);
          return Number.isNaN(ms) ? v : formatDateTime(ms + utcOffsetMs(env.timeZone, ms));
        },
        field: r.field,
      };
    }
    return {
      get: (x) => dateFn(name, r.get(x), r.field.type),
      field: name === "DAY_ONLY" ? ({ ...r.field, type: "date" } as FieldDef) : undefined,
    };
  }
  if (name === "TOLABEL" || name === "FORMAT" || name === "CONVERTCURRENCY") return r;
  return r;
}

function insertRelPath(env: Env, projs: Proj[], def: ObjectDef, parts: string[], raw: string): void {
  const relField = def.relationshipMap.get(parts[0]!.toLowerCase());
  if (!relField) throw badRelationship(env.soql, parts[0]!, raw);
  const target = targetOf(env, relField);
  if (!target) throw badRelationship(env.soql, parts[0]!, raw);
  let node = projs.find((p) => p.kind === "rel" && p.field === relField) as
    | Extract<Proj, { kind: "rel" }>
    | undefined;
  if (!node) {
    node = { kind: "rel", key: relField.relationshipName!, field: relField, children: [] };
    projs.push(node);
  }
  if (parts.length === 2) {
    const f = target.fieldMap.get(parts[1]!.toLowerCase());
    if (!f) throw noSuchColumn(env.soql, raw, def.name);
    if (!node.children.some((c) => c.kind === "field" && c.field === f)) {
      node.children.push({ kind: "field", key: f.name, field: f, path: f.name });
    }
  } else insertRelPath(env, node.children, target, parts.slice(1), raw);
}

function expandFields(def: ObjectDef, which: string): FieldDef[] {
  const w = which.toUpperCase();
  return def.fields.filter((f) => (w === "CUSTOM" ? f.custom : w === "STANDARD" ? !f.custom : true));
}

function compileQuery(env: Env, def: ObjectDef, q: Query | Subquery, alias?: string): CompiledQuery {
  const projs: Proj[] = [];
  for (const item of q.fields ?? []) compileSelectItem(env, def, item, projs, alias);
  const cq: CompiledQuery = { def, projs, limit: q.limit, offset: q.offset };
  if (q.where) cq.where = compileWhere(env, def, q.where, alias);
  if (q.orderBy) {
    const items = Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
    cq.orderKeys = items.map((o: OrderByClause) => {
      const g =
        "fn" in o && o.fn
          ? fnExpr(env, def, o.fn, alias)
          : resolvePath(env, def, (o as { field: string }).field, alias);
      const desc = o.order === "DESC";
      return { get: g.get, field: g.field, desc, nullsFirst: o.nulls ? o.nulls === "FIRST" : !desc };
    });
  }
  return cq;
}

function compileSelectItem(
  env: Env,
  def: ObjectDef,
  item: AstFieldType,
  projs: Proj[],
  alias?: string,
): void {
  switch (item.type) {
    case "Field": {
      const parts = stripAlias(item.field.split("."), alias, def);
      if (parts.length > 1) {
        insertRelPath(env, projs, def, parts, item.field);
        return;
      }
      const f = def.fieldMap.get(parts[0]!.toLowerCase());
      if (!f) throw noSuchColumn(env.soql, parts[0]!, def.name);
      if (!projs.some((p) => p.kind === "field" && p.field === f))
        projs.push({ kind: "field", key: f.name, field: f, path: f.name });
      return;
    }
    case "FieldRelationship": {
      const parts = stripAlias([...item.relationships, item.field], alias, def);
      if (parts.length === 1) {
        compileSelectItem(env, def, { type: "Field", field: parts[0]! }, projs, alias);
        return;
      }
      insertRelPath(env, projs, def, parts, item.rawValue ?? parts.join("."));
      return;
    }
    case "FieldFunctionExpression": {
      const name = item.functionName.toUpperCase();
      if (name === "FIELDS") {
        for (const f of expandFields(def, String(item.parameters[0] ?? "ALL"))) {
          if (!projs.some((p) => p.kind === "field" && p.field === f))
            projs.push({ kind: "field", key: f.name, field: f, path: f.name });
        }
        return;
      }
      const param = item.parameters[0];
      if (typeof param === "string") {
        const r = resolvePath(env, def, param, alias);
        const key = item.alias ?? r.field.name;
        projs.push({ kind: "field", key, field: r.field, path: param });
      }
      return;
    }
    case "FieldSubquery": {
      const sq = item.subquery;
      const rel = def.childMap.get(sq.relationshipName.toLowerCase());
      if (!rel) {
        throw soqlError(
          "INVALID_TYPE",
          env.soql,
          sq.relationshipName,
          `Didn't understand relationship '${sq.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      const childDef = env.ctx.schema.get(rel.childSObject)!;
      projs.push({
        kind: "child",
        key: rel.relationshipName!,
        rel,
        sub: compileQuery(env, childDef, sq, sq.sObjectPrefix?.[0]),
      });
      return;
    }
    case "FieldTypeof": {
      const relField = def.relationshipMap.get(item.field.toLowerCase());
      if (!relField) throw badRelationship(env.soql, item.field, item.field);
      const whens = new Map<string, string[]>();
      let otherwise: string[] = [];
      for (const c of item.conditions) {
        if (c.type === "WHEN" && c.objectType) whens.set(c.objectType.toLowerCase(), c.fieldList);
        else otherwise = c.fieldList;
      }
      projs.push({ kind: "typeof", key: relField.relationshipName!, field: relField, whens, otherwise });
      return;
    }
    default:
      return;
  }
}

function compileWhere(env: Env, def: ObjectDef, where: WhereClause, alias?: string): Pred<StoredRecord> {
  const toks = flattenWhere(where, []);
  return buildBool<StoredRecord>(env, toks, (c) =>
    compileCondition<StoredRecord>(
      env,
      c,
      (cond) => {
        if ("fn" in cond && cond.fn) return fnExpr(env, def, cond.fn, alias);
        return resolvePath(env, def, (cond as { field: string }).field, alias);
      },
      (cond) => semiJoinValues(env, (cond as unknown as { valueQuery: Query }).valueQuery),
    ),
  );
}

function semiJoinValues(env: Env, q: Query): Set<unknown> {
  const def = env.ctx.schema.get(q.sObject ?? "");
  if (!def) throw unsupportedType(env.soql, q.sObject ?? "");
  const cq = compileQuery(env, def, q, q.sObjectAlias);
  const first = q.fields?.[0];
  const fieldName = first && "field" in first ? String(first.field) : "Id";
  const r = resolvePath(env, def, fieldName, q.sObjectAlias);
  const out = new Set<unknown>();
  for (const row of runRows(env, cq, env.ctx.store.rows(def))) {
    const v = r.get(row);
    if (v !== undefined && v !== null) out.add(normalize(r.field, v));
  }
  return out;
}

/**
 * Candidate rows from an index when the WHERE clause is a plain AND chain containing
 * `Id = '…'`, `Id IN (…)` or an equality on an indexed field (external id, unique, lookup).
 * The full predicate still runs on the candidates. Undefined: scan the table.
 */
function indexedSource(
  env: Env,
  def: ObjectDef,
  where: WhereClause | undefined,
  alias?: string,
): StoredRecord[] | undefined {
  if (!where) return undefined;
  const toks = flattenWhere(where, []);
  if (toks.some((t) => typeof t === "string" && t !== "AND")) return undefined;
  const store = env.ctx.store;
  for (const t of toks) {
    if (typeof t !== "object") continue;
    const c = t.cond as Condition & {
      field?: string;
      operator: string;
      value?: string | string[];
      literalType?: string | string[];
      valueQuery?: unknown;
    };
    if (!c.field || c.valueQuery) continue;
    const op = c.operator.toUpperCase();
    if (op !== "=" && op !== "IN") continue;
    const parts = stripAlias(c.field.split("."), alias, def);
    if (parts.length !== 1) continue;
    const f = def.fieldMap.get(parts[0]!.toLowerCase());
    if (!f) continue;
    const types = Array.isArray(c.literalType) ? c.literalType : [c.literalType];
    if (types.some((x) => x !== "STRING")) continue;
    const values = (Array.isArray(c.value) ? c.value : [c.value ?? ""]).map((x) => unquote(String(x)));
    const ids = new Set<string>();
    if (f.type === "id") {
      for (const x of values) if (isValidId(x)) ids.add(to18(x));
    } else {
      let indexed = true;
      for (const x of values) {
        const key = f.type === "reference" && isValidId(x) ? to18(x) : x;
        const found = store.lookup(def, f.name, key);
        if (!found) {
          indexed = false;
          break;
        }
        for (const id of found) ids.add(id);
      }
      if (!indexed) continue;
    }
    const out: StoredRecord[] = [];
    for (const id of [...ids].sort()) {
      const r = store.get(id);
      if (r && env.ctx.schema.forId(r.Id) === def) out.push(r);
    }
    return out;
  }
  return undefined;
}

function runRows(env: Env, cq: CompiledQuery, source: Iterable<StoredRecord>): StoredRecord[] {
  const out: StoredRecord[] = [];
  const where = cq.where;
  const includeDeleted = env.includeDeleted;
  for (const r of source) {
    if (!includeDeleted && r.IsDeleted) continue;
    if (where && !where(r)) continue;
    out.push(r);
  }
  if (cq.orderKeys?.length) sortRows(out, cq.orderKeys);
  const offset = cq.offset ?? 0;
  const end = cq.limit !== undefined ? offset + cq.limit : undefined;
  return offset || end !== undefined ? out.slice(offset, end) : out;
}

function sortRows<T>(
  rows: T[],
  keys: { get: (r: T) => unknown; desc: boolean; nullsFirst: boolean; field?: FieldDef }[],
): void {
  const decorated = rows.map((r) => ({ r, k: keys.map((k) => normalize(k.field, k.get(r))) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const va = a.k[i]!;
      const vb = b.k[i]!;
      if (va === vb) continue;
      if (va === null) return key.nullsFirst ? -1 : 1;
      if (vb === null) return key.nullsFirst ? 1 : -1;
      const c = compareNorm(va, vb);
      if (c) return key.desc ? -c : c;
    }
    return 0;
  });
  for (let i = 0; i < rows.length; i++) rows[i] = decorated[i]!.r;
}

// ------------------------------------------------------------------ rendering

function renderProjs(
  env: Env,
  def: ObjectDef,
  rec: StoredRecord,
  projs: Proj[],
  opts: RenderOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: def.name, url: recordUrl(opts.version, def.name, rec.Id, env.tooling) },
  };
  for (const p of projs) {
    switch (p.kind) {
      case "field":
        out[p.key] = renderValue(def, p.field, rec);
        break;
      case "rel": {
        const id = rec[p.field.name];
        const parent = typeof id === "string" ? env.ctx.store.get(id) : undefined;
        if (!parent) {
          out[p.key] = null;
          break;
        }
        const pdef = env.ctx.schema.forId(parent.Id)!;
        out[p.key] = renderProjs(env, pdef, parent, rebind(pdef, p.children), opts);
        break;
      }
      case "typeof": {
        const id = rec[p.field.name];
        const parent = typeof id === "string" ? env.ctx.store.get(id) : undefined;
        if (!parent) {
          out[p.key] = null;
          break;
        }
        const pdef = env.ctx.schema.forId(parent.Id)!;
        const names = p.whens.get(pdef.name.toLowerCase()) ?? p.otherwise;
        const fields: Proj[] = [];
        for (const n of names) {
          const f = pdef.fieldMap.get(n.toLowerCase());
          if (f) fields.push({ kind: "field", key: f.name, field: f, path: f.name });
        }
        out[p.key] = renderProjs(env, pdef, parent, fields, opts);
        break;
      }
      case "child":
        out[p.key] = renderChild(env, rec, p, opts);
        break;
    }
  }
  return out;
}

/** Parent projections compiled against the first reference target; re-resolve for the actual type. */
function rebind(def: ObjectDef, projs: Proj[]): Proj[] {
  let same = true;
  for (const p of projs)
    if (p.kind === "field" && def.fieldMap.get(p.field.name.toLowerCase()) !== p.field) same = false;
  if (same) return projs;
  return projs.flatMap((p): Proj[] => {
    if (p.kind !== "field") return [p];
    const f = def.fieldMap.get(p.field.name.toLowerCase());
    return f ? [{ ...p, field: f }] : [];
  });
}

function renderChild(
  env: Env,
  parent: StoredRecord,
  p: Extract<Proj, { kind: "child" }>,
  opts: RenderOptions,
): Record<string, unknown> | null {
  const sub = p.sub;
  const ids = env.ctx.store.lookup(sub.def, p.rel.field, parent.Id);
  let source: Iterable<StoredRecord>;
  if (ids) {
    const t = env.ctx.store;
    source = (function* () {
      for (const id of ids) {
        const r = t.get(id);
        if (r) yield r;
      }
    })();
  } else {
    const fname = p.rel.field;
    source = (function* () {
      for (const r of env.ctx.store.rows(sub.def)) if (r[fname] === parent.Id) yield r;
    })();
  }
  const rows = runRows(env, sub, source);
  if (!rows.length) return null;
  const render = (r: StoredRecord) => renderProjs(env, sub.def, r, sub.projs, opts);
  const size = opts.childPageSize ?? rows.length;
  if (rows.length <= size || !opts.childLocator) {
    return { totalSize: rows.length, done: true, records: rows.map(render) };
  }
  const first = rows.slice(0, size).map(render);
  return {
    totalSize: rows.length,
    done: false,
    nextRecordsUrl: opts.childLocator(rows, render, size),
    records: first,
  };
}

function flatColumns(projs: Proj[], prefix = ""): string[] {
  const out: string[] = [];
  for (const p of projs) {
    if (p.kind === "field") out.push(prefix + p.key);
    else if (p.kind === "rel") out.push(...flatColumns(p.children, `${prefix}${p.key}.`));
    else if (p.kind === "typeof") out.push(`${prefix}${p.key}.Id`);
  }
  return out;
}

// ------------------------------------------------------------------ aggregates

interface AggItem {
  key: string;
  kind: "group" | "agg" | "expr";
  fn?: string;
  get?: Getter;
  field?: FieldDef;
  raw: string;
}

function aggregateValue(
  fn: string,
  rows: StoredRecord[],
  get: Getter | undefined,
  field: FieldDef | undefined,
): unknown {
  switch (fn) {
    case "COUNT": {
      if (!get) return rows.length;
      let n = 0;
      for (const r of rows) if (get(r) != null) n++;
      return n;
    }
    case "COUNT_DISTINCT": {
      const s = new Set<unknown>();
      for (const r of rows) {
        const v = get!(r);
        if (v != null) s.add(normalize(field, v));
      }
      return s.size;
    }
    case "SUM":
    case "AVG": {
      let sum = 0;
      let n = 0;
      for (const r of rows) {
        const v = get!(r);
        if (typeof v === "number") {
          sum += v;
          n++;
        }
      }
      if (!n) return null;
      if (fn === "AVG") return new JsonDouble(sum / n);
      return field && field.type === "int" ? sum : new JsonDouble(sum);
    }
    case "MIN":
    case "MAX": {
      let best: unknown = null;
      let bestN: Norm = null;
      for (const r of rows) {
        const v = get!(r);
        if (v == null) continue;
        const nv = normalize(field, v);
        if (bestN === null || (fn === "MIN" ? compareNorm(nv, bestN) < 0 : compareNorm(nv, bestN) > 0)) {
          best = v;
          bestN = nv;
        }
      }
      return wrapNumber(field, best);
    }
    default:
      return null;
  }
}

function runAggregate(env: Env, def: ObjectDef, q: Query, rows: StoredRecord[]): Record<string, unknown>[] {
  const alias = q.sObjectAlias;
  const items: AggItem[] = [];
  let exprN = 0;
  for (const f of q.fields ?? []) {
    if (f.type === "FieldFunctionExpression") {
      const fn = f.functionName.toUpperCase();
      const param = f.parameters[0];
      const isAgg = ["COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX"].includes(fn);
      let get: Getter | undefined;
      let field: FieldDef | undefined;
      if (typeof param === "string") {
        const r = resolvePath(env, def, param, alias);
        get = r.get;
        field = r.field;
        if (!isAgg) {
          const e = fnExpr(env, def, f as FunctionExp, alias);
          get = e.get;
          field = e.field;
        }
      } else if (typeof param === "object" && param) {
        const e = fnExpr(env, def, param, alias);
        get = e.get;
        field = e.field;
      }
      if ((fn === "SUM" || fn === "AVG") && field && !isNumberType(field.type)) {
        throw soqlError(
          "MALFORMED_QUERY",
          env.soql,
          f.rawValue ?? fn,
          `field ${field.name} does not support aggregate operator ${fn}`,
        );
      }
      const key = f.alias ?? `expr${exprN++}`;
      items.push({
        key,
        kind: isAgg ? "agg" : "expr",
        fn,
        get,
        field,
        raw: (f.rawValue ?? "").toLowerCase(),
      });
    } else if (f.type === "Field" || f.type === "FieldRelationship") {
      const raw = f.type === "Field" ? f.field : (f.rawValue ?? [...f.relationships, f.field].join("."));
      const r = resolvePath(env, def, raw, alias);
      items.push({
        key: (f as { alias?: string }).alias ?? r.field.name,
        kind: "group",
        get: r.get,
        field: r.field,
        raw: raw.toLowerCase(),
      });
    }
  }
  const groupBy = q.groupBy ? (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]) : [];
  const groupGetters = groupBy.map((g) => {
    if ("fn" in g && g.fn) return fnExpr(env, def, g.fn, alias);
    return resolvePath(env, def, (g as { field: string }).field, alias);
  });
  for (const it of items) {
    if (it.kind === "group" && groupBy.length === 0) {
      throw soqlError(
        "MALFORMED_QUERY",
        env.soql,
        it.raw,
        `Field must be grouped or aggregated: ${it.field?.name ?? it.raw}`,
      );
    }
  }
  const groups = new Map<string, StoredRecord[]>();
  if (!groupBy.length) groups.set("", rows);
  else {
    for (const r of rows) {
      const key = JSON.stringify(groupGetters.map((g) => normalize(g.field, g.get(r))));
      let arr = groups.get(key);
      if (!arr) groups.set(key, (arr = []));
      arr.push(r);
    }
  }
  type Group = { rows: StoredRecord[]; out: Record<string, unknown> };
  const result: Group[] = [];
  for (const grp of groups.values()) {
    const out: Record<string, unknown> = { attributes: { type: "AggregateResult" } };
    for (const it of items) {
      if (it.kind === "agg") out[it.key] = aggregateValue(it.fn!, grp, it.get, it.field);
      else {
        const v = grp.length ? it.get!(grp[0]!) : null;
        out[it.key] = wrapNumber(it.field, v ?? null);
      }
    }
    result.push({ rows: grp, out });
  }
  const aggOf = (g: Group, fn: FunctionExp): unknown => {
    const name = (fn.functionName ?? "").toUpperCase();
    const param = fn.parameters?.[0];
    const r = typeof param === "string" ? resolvePath(env, def, param, alias) : undefined;
    const v = aggregateValue(name, g.rows, r?.get, r?.field);
    return v instanceof JsonDouble ? v.value : v;
  };
  let filtered = result;
  if (q.having) {
    const toks = flattenWhere(q.having, []);
    const pred = buildBool<Group>(env, toks, (c) =>
      compileCondition<Group>(
        env,
        c,
        (cond) => {
          if ("fn" in cond && cond.fn) {
            const fn = cond.fn;
            return { get: (g: Group) => aggOf(g, fn) };
          }
          const r = resolvePath(env, def, (cond as { field: string }).field, alias);
          return { get: (g: Group) => (g.rows[0] ? r.get(g.rows[0]) : null), field: r.field };
        },
        () => new Set(),
      ),
    );
    filtered = result.filter(pred);
  }
  if (q.orderBy) {
    const obs = Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
    sortRows(
      filtered,
      obs.map((o) => {
        const desc = o.order === "DESC";
        const nullsFirst = o.nulls ? o.nulls === "FIRST" : !desc;
        if ("fn" in o && o.fn) {
          const fn = o.fn;
          return { get: (g: Group) => aggOf(g, fn), desc, nullsFirst };
        }
        const r = resolvePath(env, def, (o as { field: string }).field, alias);
        return { get: (g: Group) => (g.rows[0] ? r.get(g.rows[0]) : null), desc, nullsFirst, field: r.field };
      }),
    );
  }
  const offset = q.offset ?? 0;
  const end = q.limit !== undefined ? offset + q.limit : undefined;
  return filtered.slice(offset, end).map((g) => g.out);
}

// ------------------------------------------------------------------ entry point

/** Parses and runs a SOQL query. Throws SoqlError (an HttpError 400) for bad queries. */
export function executeSoql(ctx: SoqlContext, soql: string, options: SoqlOptions = {}): QueryResult {
  const env: Env = {
    ctx,
    soql,
    now: options.now ?? Date.now(),
    includeDeleted: options.includeDeleted === true,
    tooling: options.tooling === true,
    timeZone: options.timeZone,
  };
  if (!soql.trim()) throw soqlError("MALFORMED_QUERY", soql, undefined, "unexpected token: <EOF>");
  const q = parse(soql);
  const def = ctx.schema.get(q.sObject ?? "");
  if (!def || (def.tooling && !env.tooling && false)) throw unsupportedType(soql, q.sObject ?? "");
  if (q.offset !== undefined && q.offset > 2000) {
    throw soqlError("NUMBER_OUTSIDE_VALID_RANGE", soql, "OFFSET", "Maximum SOQL offset allowed is 2000");
  }
  const fieldsFn = (q.fields ?? []).find(
    (f) =>
      f.type === "FieldFunctionExpression" &&
      f.functionName.toUpperCase() === "FIELDS" &&
      String(f.parameters[0]).toUpperCase() !== "STANDARD",
  );
  if (fieldsFn && (q.limit === undefined || q.limit > 200)) {
    throw soqlError(
      "MALFORMED_QUERY",
      soql,
      "FIELDS",
      "The SOQL FIELDS function must have a LIMIT of at most 200",
    );
  }
  const fields = q.fields ?? [];
  const isCountOnly =
    fields.length === 1 &&
    fields[0]!.type === "FieldFunctionExpression" &&
    fields[0]!.functionName.toUpperCase() === "COUNT" &&
    fields[0]!.parameters.length === 0;
  const isAggregate =
    !isCountOnly &&
    (q.groupBy !== undefined ||
      fields.some(
        (f) =>
          f.type === "FieldFunctionExpression" &&
          ["COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX"].includes(f.functionName.toUpperCase()),
      ));
  if (isCountOnly) {
    const cq: CompiledQuery = { def, projs: [], limit: q.limit, offset: q.offset };
    if (q.where) cq.where = compileWhere(env, def, q.where, q.sObjectAlias);
    const rows = runRows(env, cq, indexedSource(env, def, q.where, q.sObjectAlias) ?? ctx.store.rows(def));
    return {
      object: def,
      entityTypeName: def.name,
      countOnly: true,
      aggregate: false,
      totalSize: rows.length,
      rows: [],
      render: () => ({}),
      columns: [],
      flatten: () => [],
    };
  }
  if (isAggregate) {
    const cq: CompiledQuery = { def, projs: [] };
    if (q.where) cq.where = compileWhere(env, def, q.where, q.sObjectAlias);
    const matched = runRows(env, cq, ctx.store.rows(def));
    const rows = runAggregate(env, def, q, matched);
    const columns = rows[0] ? Object.keys(rows[0]).filter((k) => k !== "attributes") : [];
    return {
      object: def,
      entityTypeName: "AggregateResult",
      countOnly: false,
      aggregate: true,
      totalSize: rows.length,
      rows,
      render: (row) => row as Record<string, unknown>,
      columns,
      flatten: (row) => columns.map((c) => (row as Record<string, unknown>)[c] ?? null),
    };
  }
  const cq = compileQuery(env, def, q, q.sObjectAlias);
  const rows = runRows(env, cq, indexedSource(env, def, q.where, q.sObjectAlias) ?? ctx.store.rows(def));
  const columns = flatColumns(cq.projs);
  // Split once per query, not once per row and column (Bulk 2.0 results flatten every row).
  const columnPaths = columns.map((c) => c.split("."));
  return {
    object: def,
    entityTypeName: def.name,
    countOnly: false,
    aggregate: false,
    totalSize: rows.length,
    rows,
    render: (row, opts) => renderProjs(env, def, row as StoredRecord, cq.projs, opts),
    columns,
    flatten: (row) => {
      const rendered = renderProjs(env, def, row as StoredRecord, cq.projs, { version: "64.0" });
      return columnPaths.map((path) => {
        let v: unknown = rendered;
        for (const part of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : null;
        return v instanceof JsonDouble ? v.value : (v ?? null);
      });
    },
  };
}

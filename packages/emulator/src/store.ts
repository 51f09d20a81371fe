// The in-memory record store: one Map per sObject (indexed by 18-character id), secondary indexes
// for external-id, unique and lookup fields, validation with Salesforce's status codes, a recycle
// bin, and journaled transactions for allOrNone operations.
import { formatDate, formatDateTime, normalizeTime, parseDate, parseDateTime } from "./dates.js";
import { DmlException, dmlError, type DmlError } from "./errors.js";
import { IdGenerator, isValidId, normalizeId, to18 } from "./ids.js";
import { RecordLayouts } from "./record-layout.js";
import { isNumberType, isStringType } from "./schema/describe.js";
import type { Schema } from "./schema/schema.js";
import type { FieldDef, ObjectDef } from "./schema/types.js";

/** A stored record: canonical field names → values (null/absent fields are omitted). */
export type StoredRecord = Record<string, unknown> & { Id: string };

export interface DmlResult {
  id: string | null;
  success: boolean;
  errors: DmlError[];
  created?: boolean;
}

export interface WriteOptions {
  /** User performing the operation (CreatedById, OwnerId default). */
  userId?: string;
  /** REST JSON bodies: wrong JSON types are JSON_PARSER_ERROR (bulk CSV uses INVALID_TYPE_ON_FIELD_IN_RECORD). */
  json?: boolean;
  /** Ignore fields that are not writable instead of failing (e.g. `attributes`). */
  skipReadOnly?: boolean;
}

export class MultipleMatchesError extends Error {
  constructor(public readonly ids: string[]) {
    super(`${ids.length} records match`);
  }
}

interface Table {
  def: ObjectDef;
  rows: Map<string, StoredRecord>;
  /** lower-cased field name → value key → ids */
  indexes: Map<string, Map<string, Set<string>>>;
  autoNumber: number;
}

type Undo = () => void;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UNINDEXED_LOOKUPS = new Set(["OwnerId", "CreatedById", "LastModifiedById"]);

/** Per-object field lists used on every write, computed once. */
interface WritePlan {
  required: FieldDef[];
  unique: FieldDef[];
  defaults: FieldDef[];
  autoNumbers: FieldDef[];
  system: {
    owner: boolean;
    created: boolean;
    modified: boolean;
    modstamp: boolean;
    createdBy: boolean;
    modifiedBy: boolean;
  };
  /** Name is derived from FirstName and LastName (Contact, Lead, User). */
  compositeName: boolean;
  /** Fields by their exact API name: bulk rows and most JSON bodies spell them so. */
  byName: Map<string, FieldDef>;
  /** Stored key order of new records (Id, then describe order), compiled per record shape. */
  layouts: RecordLayouts;
}
const plans = new WeakMap<ObjectDef, WritePlan>();

function planOf(def: ObjectDef): WritePlan {
  let p = plans.get(def);
  if (!p) {
    const fm = def.fieldMap;
    p = {
      required: def.fields.filter(
        (f) => !f.nillable && f.type !== "boolean" && f.type !== "id" && f.createable,
      ),
      unique: def.fields.filter((f) => f.unique),
      autoNumbers: def.fields.filter((f) => f.autoNumber),
      defaults: def.fields.filter(
        (f) => f.defaultValue !== null && f.defaultValue !== undefined && f.type !== "id",
      ),
      system: {
        owner: fm.has("ownerid"),
        created: fm.has("createddate"),
        modified: fm.has("lastmodifieddate"),
        modstamp: fm.has("systemmodstamp"),
        createdBy: fm.has("createdbyid"),
        modifiedBy: fm.has("lastmodifiedbyid"),
      },
      compositeName:
        fm.has("firstname") && fm.has("lastname") && !!fm.get("name") && !fm.get("name")!.createable,
      byName: new Map(def.fields.map((f) => [f.name, f])),
      layouts: new RecordLayouts(def.fields),
    };
    plans.set(def, p);
  }
  return p;
}

let lastStampMs = Number.NaN;
let lastStamp = "";
/** formatDateTime, cached for the current millisecond (bulk loads stamp many rows at once). */
function stamp(ms: number): string {
  if (ms !== lastStampMs) {
    lastStampMs = ms;
    lastStamp = formatDateTime(ms);
  }
  return lastStamp;
}

function indexKey(f: FieldDef, v: unknown): string {
  return typeof v === "string" && !f.caseSensitive && f.type !== "id" && f.type !== "reference"
    ? v.toLowerCase()
    : String(v);
}

export class RecordStore {
  private readonly tables = new Map<string, Table>();
  /** id → deletion time (ms) for rows in the recycle bin */
  readonly deletedAt = new Map<string, number>();
  private journal: Undo[] | null = null;
  readonly ids: IdGenerator;

  constructor(
    readonly schema: Schema,
    readonly defaultUserId: () => string,
    readonly now: () => number = Date.now,
    idCounter = 0,
  ) {
    this.ids = new IdGenerator(idCounter);
  }

  // ---------------------------------------------------------------- lookups

  table(type: string | ObjectDef): Table {
    const def = typeof type === "string" ? this.schema.get(type) : type;
    if (!def) throw dmlError("INVALID_TYPE", `sObject type '${type}' is not supported.`);
    let t = this.tables.get(def.name);
    if (!t || t.def !== def) {
      const rows = t?.rows ?? new Map<string, StoredRecord>();
      t = { def, rows, indexes: new Map(), autoNumber: t?.autoNumber ?? 0 };
      this.tables.set(def.name, t);
      for (const f of def.fields) {
        // External ids and unique fields (upsert, duplicates) and lookups (child subqueries,
        // cascades); not the audit/owner lookups, whose few keys would hold every row.
        if (f.externalId || f.unique || (f.type === "reference" && !UNINDEXED_LOOKUPS.has(f.name))) {
          if (f.type === "id") continue;
          const idx = new Map<string, Set<string>>();
          t.indexes.set(f.name.toLowerCase(), idx);
          for (const r of rows.values()) this.addToIndex(idx, f, r);
        }
      }
    }
    return t;
  }

  private addToIndex(idx: Map<string, Set<string>>, f: FieldDef, r: StoredRecord): void {
    const v = r[f.name];
    if (v === undefined || v === null) return;
    const k = indexKey(f, v);
    let set = idx.get(k);
    if (!set) idx.set(k, (set = new Set()));
    set.add(r.Id);
  }

  private removeFromIndex(idx: Map<string, Set<string>>, f: FieldDef, r: StoredRecord): void {
    const v = r[f.name];
    if (v === undefined || v === null) return;
    const k = indexKey(f, v);
    const set = idx.get(k);
    if (set) {
      set.delete(r.Id);
      if (!set.size) idx.delete(k);
    }
  }

  private indexAll(t: Table, r: StoredRecord, add: boolean): void {
    for (const [name, idx] of t.indexes) {
      const f = t.def.fieldMap.get(name)!;
      if (add) this.addToIndex(idx, f, r);
      else this.removeFromIndex(idx, f, r);
    }
  }

  /** The record with this id (15 or 18 chars), deleted ones included; undefined if none. */
  get(id: string): StoredRecord | undefined {
    const id18 = normalizeId(id);
    if (!id18) return undefined;
    const def = this.schema.forId(id18);
    if (!def) return undefined;
    return this.tables.get(def.name)?.rows.get(id18);
  }

  /** A live (not deleted) record of this type by id. */
  find(type: string, id: string): StoredRecord | undefined {
    const r = this.get(id);
    if (!r || r.IsDeleted) return undefined;
    const def = this.schema.get(type);
    return def && this.schema.forId(r.Id) === def ? r : undefined;
  }

  /** All rows of a type (live and deleted): iterate, never copy. */
  rows(type: string | ObjectDef): IterableIterator<StoredRecord> {
    return this.table(type).rows.values();
  }

  /** Number of live rows of a type. */
  count(type: string): number {
    let n = 0;
    for (const r of this.rows(type)) if (!r.IsDeleted) n++;
    return n;
  }

  /** Ids of rows whose indexed field equals the value (deleted rows included). */
  lookup(type: string | ObjectDef, fieldName: string, value: unknown): Set<string> | undefined {
    const t = this.table(type);
    const idx = t.indexes.get(fieldName.toLowerCase());
    if (!idx) return undefined;
    const f = t.def.fieldMap.get(fieldName.toLowerCase())!;
    return idx.get(indexKey(f, value)) ?? new Set();
  }

  /** Live records of `type` whose `field` (external id or any field) equals the value. */
  findBy(type: string, fieldName: string, value: unknown): StoredRecord[] {
    const t = this.table(type);
    const f = t.def.fieldMap.get(fieldName.toLowerCase());
    if (!f) return [];
    if (f.type === "id") {
      const r = typeof value === "string" ? this.find(t.def.name, value) : undefined;
      return r ? [r] : [];
    }
    const ids = this.lookup(t.def, f.name, value);
    const out: StoredRecord[] = [];
    if (ids) {
      for (const id of ids) {
        const r = t.rows.get(id);
        if (r && !r.IsDeleted) out.push(r);
      }
      return out;
    }
    const key = indexKey(f, value);
    for (const r of t.rows.values())
      if (!r.IsDeleted && r[f.name] != null && indexKey(f, r[f.name]) === key) out.push(r);
    return out;
  }

  // ---------------------------------------------------------------- transactions

  /** Runs fn; if it throws, every write it made is undone. Nested calls join the outer one. */
  transaction<T>(fn: () => T): T {
    if (this.journal) return fn();
    this.journal = [];
    try {
      const out = fn();
      this.journal = null;
      return out;
    } catch (e) {
      this.rollbackJournal();
      throw e;
    }
  }

  /** Begins a transaction that the caller commits or rolls back explicitly. */
  begin(): { commit(): void; rollback(): void } {
    if (this.journal) return { commit() {}, rollback() {} };
    this.journal = [];
    return {
      commit: () => {
        this.journal = null;
      },
      rollback: () => this.rollbackJournal(),
    };
  }

  private rollbackJournal(): void {
    const j = this.journal ?? [];
    this.journal = null;
    for (let i = j.length - 1; i >= 0; i--) j[i]!();
  }

  private record(undo: Undo): void {
    this.journal?.push(undo);
  }

  // ---------------------------------------------------------------- writes

  /** Inserts a record; returns its 18-character id. Throws DmlException. */
  insert(type: string, values: Record<string, unknown>, opts: WriteOptions = {}): string {
    const t = this.table(type);
    const def = t.def;
    if (def.flags.createable === false) {
      throw dmlError("INVALID_TYPE", `entity type ${def.name} does not support insert`);
    }
    const now = stamp(this.now());
    const userId = opts.userId ?? this.defaultUserId();
    const plan = planOf(def);
    const rec: Record<string, unknown> = {};
    const given = this.coerceAll(def, values, "insert", opts);
    if ("Id" in given) {
      throw dmlError("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"]);
    }
    for (const f of plan.defaults) if (!(f.name in given)) rec[f.name] = this.defaultFor(f);
    for (const k in given) if (given[k] !== null) rec[k] = given[k];
    const id = this.ids.next(def.keyPrefix ?? "000");
    rec.Id = id;
    rec.IsDeleted = false;
    const sys = plan.system;
    if (sys.owner && rec.OwnerId == null) rec.OwnerId = userId;
    if (sys.created) rec.CreatedDate = now;
    if (sys.modified) rec.LastModifiedDate = now;
    if (sys.modstamp) rec.SystemModstamp = now;
    if (sys.createdBy) rec.CreatedById = userId;
    if (sys.modifiedBy) rec.LastModifiedById = userId;
    this.derive(t, rec as StoredRecord, true);
    this.checkRequired(def, rec);
    this.checkUnique(t, rec as StoredRecord);
    // Re-order keys: Id first, then describe order (keeps rendering cheap and stable).
    const stored = plan.layouts.ordered(rec, id) as StoredRecord;
    t.rows.set(id, stored);
    this.indexAll(t, stored, true);
    this.record(() => {
      this.indexAll(t, stored, false);
      t.rows.delete(id);
    });
    return id;
  }

  /** Updates a live record by id (15 or 18). Throws DmlException. */
  update(type: string | null, id: string, values: Record<string, unknown>, opts: WriteOptions = {}): string {
    const id18 = normalizeId(id);
    if (!id18)
      throw dmlError("MALFORMED_ID", `${type ?? "Record"} ID: id value of incorrect type: ${id}`, ["Id"]);
    const def = type ? this.schema.get(type) : this.schema.forId(id18);
    if (!def) throw dmlError("INVALID_TYPE", `sObject type '${type}' is not supported.`);
    if (this.schema.forId(id18) !== def) {
      throw dmlError("MALFORMED_ID", `${def.label} ID: id value of incorrect type: ${id}`, ["Id"]);
    }
    const t = this.table(def);
    const current = t.rows.get(id18);
    if (!current) throw dmlError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []);
    if (current.IsDeleted) throw dmlError("ENTITY_IS_DELETED", "entity is deleted", []);
    const given = this.coerceAll(def, values, "update", opts);
    delete given.Id;
    const before = { ...current };
    const next: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(given)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    const now = stamp(this.now());
    const sys = planOf(def).system;
    if (sys.modified) next.LastModifiedDate = now;
    if (sys.modstamp) next.SystemModstamp = now;
    if (sys.modifiedBy) next.LastModifiedById = opts.userId ?? this.defaultUserId();
    this.derive(t, next as StoredRecord, false);
    this.checkRequired(def, next);
    this.checkUnique(t, next as StoredRecord);
    this.indexAll(t, current, false);
    const ordered: Record<string, unknown> = { Id: id18 };
    for (const f of def.fields)
      if (f.name !== "Id" && next[f.name] !== undefined) ordered[f.name] = next[f.name];
    for (const k of Object.keys(current)) delete current[k];
    Object.assign(current, ordered);
    this.indexAll(t, current, true);
    this.record(() => {
      this.indexAll(t, current, false);
      for (const k of Object.keys(current)) delete current[k];
      Object.assign(current, before);
      this.indexAll(t, current, true);
    });
    return id18;
  }

  /**
   * Upsert by external id field (or `Id`). Returns `{id, created}`. Throws MultipleMatchesError
   * when more than one record matches, DmlException otherwise.
   */
  upsert(
    type: string,
    externalIdField: string,
    value: unknown,
    values: Record<string, unknown>,
    opts: WriteOptions = {},
  ): { id: string; created: boolean } {
    const def = this.schema.get(type);
    if (!def) throw dmlError("INVALID_TYPE", `sObject type '${type}' is not supported.`);
    const f = def.fieldMap.get(externalIdField.toLowerCase());
    if (!f || !(f.externalId || f.idLookup || f.type === "id")) {
      throw dmlError(
        "NOT_FOUND",
        `Provided external ID field does not exist or is not accessible: ${externalIdField}`,
      );
    }
    const body = { ...values };
    for (const k of Object.keys(body)) if (k.toLowerCase() === f.name.toLowerCase()) delete body[k];
    if (value === null || value === undefined || value === "") {
      if (f.type === "id") return { id: this.insert(def.name, body, opts), created: true };
      throw dmlError("REQUIRED_FIELD_MISSING", `Required fields are missing: [${f.name}]`, [f.name]);
    }
    if (f.type === "id" && !isValidId(value)) {
      throw dmlError("MALFORMED_ID", `${def.label} ID: id value of incorrect type: ${String(value)}`, ["Id"]);
    }
    const matches = this.findBy(def.name, f.name, value);
    if (matches.length > 1) throw new MultipleMatchesError(matches.map((r) => r.Id));
    if (matches.length === 1)
      return { id: this.update(def.name, matches[0]!.Id, body, opts), created: false };
    if (f.type === "id")
      throw dmlError("NOT_FOUND", "Provided external ID field does not exist or is not accessible: Id");
    return { id: this.insert(def.name, { ...body, [f.name]: value }, opts), created: true };
  }

  /** Moves a record (and its cascade-delete children) to the recycle bin. */
  delete(type: string | null, id: string): string {
    const id18 = normalizeId(id);
    const def = id18 ? this.schema.forId(id18) : undefined;
    if (!id18 || !def || (type && this.schema.get(type) !== def)) {
      throw dmlError("MALFORMED_ID", `${type ?? "Record"} ID: id value of incorrect type: ${id}`, ["Id"]);
    }
    if (def.flags.deletable === false)
      throw dmlError("INVALID_TYPE", `entity type ${def.name} does not support delete`);
    const t = this.table(def);
    const r = t.rows.get(id18);
    if (!r) throw dmlError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []);
    if (r.IsDeleted) throw dmlError("ENTITY_IS_DELETED", "entity is deleted", []);
    this.softDelete(t, r);
    return id18;
  }

  private softDelete(t: Table, r: StoredRecord): void {
    const before = { ...r };
    r.IsDeleted = true;
    const now = this.now();
    r.SystemModstamp = formatDateTime(now);
    this.deletedAt.set(r.Id, now);
    this.record(() => {
      Object.assign(r, before);
      this.deletedAt.delete(r.Id);
    });
    for (const rel of t.def.childRelationships) {
      if (!rel.cascadeDelete) continue;
      const child = this.schema.get(rel.childSObject);
      if (!child) continue;
      const ids = this.lookup(child, rel.field, r.Id);
      if (!ids) continue;
      const ct = this.table(child);
      for (const cid of [...ids]) {
        const c = ct.rows.get(cid);
        if (c && !c.IsDeleted) this.softDelete(ct, c);
      }
    }
  }

  /** Restores a record from the recycle bin. */
  undelete(id: string): string {
    const r = this.get(id);
    if (!r) throw dmlError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []);
    if (!r.IsDeleted) throw dmlError("UNDELETE_FAILED", "Entity is not in the recycle bin", []);
    const before = { ...r };
    r.IsDeleted = false;
    r.SystemModstamp = formatDateTime(this.now());
    const at = this.deletedAt.get(r.Id);
    this.deletedAt.delete(r.Id);
    this.record(() => {
      Object.assign(r, before);
      if (at !== undefined) this.deletedAt.set(r.Id, at);
    });
    return r.Id;
  }

  /** Deletes a record permanently (Bulk hardDelete, emptying the recycle bin). */
  purge(id: string): void {
    const r = this.get(id);
    if (!r) throw dmlError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []);
    const t = this.table(this.schema.forId(r.Id)!);
    this.indexAll(t, r, false);
    t.rows.delete(r.Id);
    const at = this.deletedAt.get(r.Id);
    this.deletedAt.delete(r.Id);
    this.record(() => {
      t.rows.set(r.Id, r);
      this.indexAll(t, r, true);
      if (at !== undefined) this.deletedAt.set(r.Id, at);
    });
  }

  /** Removes every record (users and the organization row are re-seeded by the caller). */
  clear(): void {
    this.tables.clear();
    this.deletedAt.clear();
  }

  /** Loads a record as-is (persistence, seeding); the caller guarantees its validity. */
  load(type: string, rec: StoredRecord, deletedAt?: number): void {
    const t = this.table(type);
    t.rows.set(rec.Id, rec);
    this.indexAll(t, rec, true);
    if (deletedAt !== undefined) this.deletedAt.set(rec.Id, deletedAt);
  }

  /** Snapshot of all rows (persistence). */
  dump(): Record<string, StoredRecord[]> {
    const out: Record<string, StoredRecord[]> = {};
    for (const [name, t] of this.tables) if (t.rows.size) out[name] = [...t.rows.values()];
    return out;
  }

  // ---------------------------------------------------------------- validation

  private defaultFor(f: FieldDef): unknown {
    const v = f.defaultValue;
    if (f.type === "boolean") return v === true;
    if (typeof v === "string" && (f.type === "date" || f.type === "datetime")) return undefined;
    if (isNumberType(f.type) && typeof v === "string") {
      const n = Number(v);
      return Number.isFinite(n) ? n : undefined;
    }
    return v;
  }

  private coerceAll(
    def: ObjectDef,
    values: Record<string, unknown>,
    mode: "insert" | "update",
    opts: WriteOptions,
  ): Record<string, unknown> {
    if (values === null || typeof values !== "object" || Array.isArray(values)) {
      throw dmlError("JSON_PARSER_ERROR", "Cannot deserialize instance of sObject from non-object value");
    }
    const out: Record<string, unknown> = {};
    const readOnly: string[] = [];
    const byName = planOf(def).byName;
    for (const key of Object.keys(values)) {
      if (key === "attributes") continue;
      const raw = values[key];
      const f = byName.get(key) ?? def.fieldMap.get(key.toLowerCase());
      if (!f) {
        if (opts.skipReadOnly) continue;
        throw dmlError("INVALID_FIELD", `No such column '${key}' on sobject of type ${def.name}`, [key]);
      }
      if (f.type === "id") {
        if (mode === "update" || opts.skipReadOnly) continue;
        out.Id = raw;
        continue;
      }
      const writable = mode === "insert" ? f.createable : f.updateable;
      if (!writable) {
        if (!opts.skipReadOnly) readOnly.push(f.name);
        continue;
      }
      out[f.name] = this.coerce(def, f, raw, opts);
    }
    if (readOnly.length) {
      throw dmlError(
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        `Unable to create/update fields: ${readOnly.join(", ")}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      );
    }
    return out;
  }

  private typeError(def: ObjectDef, f: FieldDef, raw: unknown, opts: WriteOptions): DmlException {
    if (opts.json) {
      const javaType =
        { boolean: "boolean", int: "int", date: "date", datetime: "datetime", time: "time" }[
          f.type as string
        ] ?? (isNumberType(f.type) ? "double" : "String");
      const token =
        typeof raw === "string"
          ? "VALUE_STRING"
          : typeof raw === "object"
            ? Array.isArray(raw)
              ? "START_ARRAY"
              : "START_OBJECT"
            : typeof raw === "boolean"
              ? `VALUE_${String(raw).toUpperCase()}`
              : "VALUE_NUMBER_INT";
      return dmlError(
        "JSON_PARSER_ERROR",
        `Cannot deserialize instance of ${javaType} from ${token} value ${typeof raw === "object" ? JSON.stringify(raw) : String(raw)} or request may be missing a required field`,
      );
    }
    void def;
    return dmlError(
      "INVALID_TYPE_ON_FIELD_IN_RECORD",
      `${f.label}: value not of required type: ${String(raw)}`,
      [f.name],
    );
  }

  /** Converts a wire value to the stored form for the field's type. */
  coerce(def: ObjectDef, f: FieldDef, raw: unknown, opts: WriteOptions = {}): unknown {
    if (raw === null || raw === undefined) return f.type === "boolean" ? false : null;
    if (typeof raw === "object" && f.type !== "anyType") throw this.typeError(def, f, raw, opts);
    if (isStringType(f.type) || f.type === "base64" || f.type === "anyType") {
      let s = typeof raw === "string" ? raw : String(raw);
      if (s === "") return null;
      if (f.type === "multipicklist")
        s = s
          .split(";")
          .map((x) => x.trim())
          .filter(Boolean)
          .join(";");
      if (f.length > 0 && s.length > f.length && isStringType(f.type)) {
        throw dmlError(
          "STRING_TOO_LONG",
          `${f.label}: data value too large: ${s.length > 200 ? s.slice(0, 200) + "..." : s} (max length=${f.length})`,
          [f.name],
        );
      }
      if (f.type === "email" && !EMAIL_RE.test(s)) {
        throw dmlError("INVALID_EMAIL_ADDRESS", `${f.label}: invalid email address: ${s}`, [f.name]);
      }
      if (f.restrictedPicklist && (f.type === "picklist" || f.type === "multipicklist")) {
        for (const part of f.type === "multipicklist" ? s.split(";") : [s]) {
          if (!f.picklistValues.some((p) => p.active && p.value === part)) {
            throw dmlError(
              "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
              `${f.label}: bad value for restricted picklist field: ${part}`,
              [f.name],
            );
          }
        }
      }
      return s;
    }
    switch (f.type) {
      case "reference": {
        if (raw === "") return null;
        if (typeof raw !== "string") throw this.typeError(def, f, raw, opts);
        if (!isValidId(raw))
          throw dmlError("MALFORMED_ID", `${f.label}: id value of incorrect type: ${raw}`, [f.name]);
        const id18 = to18(raw);
        const target = this.schema.forId(id18);
        const known = f.referenceTo.filter((r) => this.schema.get(r));
        if (known.length) {
          if (!target || !known.some((r) => this.schema.get(r) === target)) {
            throw dmlError("FIELD_INTEGRITY_EXCEPTION", `${f.label}: id value of incorrect type: ${raw}`, [
              f.name,
            ]);
          }
          const r = this.get(id18);
          if (!r || r.IsDeleted) {
            throw dmlError("INVALID_CROSS_REFERENCE_KEY", `invalid cross reference id`, []);
          }
        }
        return id18;
      }
      case "boolean": {
        if (typeof raw === "boolean") return raw;
        if (typeof raw === "string" && /^(true|false)$/i.test(raw.trim()))
          return raw.trim().toLowerCase() === "true";
        if (typeof raw === "string" && raw === "") return false;
        throw this.typeError(def, f, raw, opts);
      }
      case "int":
      case "long":
      case "double":
      case "currency":
      case "percent": {
        if (typeof raw === "string" && raw.trim() === "") return null;
        const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw.trim()) : Number.NaN;
        if (!Number.isFinite(n) || typeof raw === "boolean") throw this.typeError(def, f, raw, opts);
        if (f.type === "int" || f.type === "long") return Math.round(n);
        const scale = f.scale ?? 0;
        const rounded = f.precision > 0 ? Math.round(n * 10 ** scale) / 10 ** scale : n;
        if (
          f.precision > 0 &&
          Math.abs(Math.trunc(rounded)).toString().length > f.precision - scale &&
          Math.abs(rounded) >= 1
        ) {
          throw dmlError(
            "NUMBER_OUTSIDE_VALID_RANGE",
            `${f.label}: value outside of valid range on numeric field: ${String(raw)}`,
            [f.name],
          );
        }
        return rounded;
      }
      case "date": {
        const ms = typeof raw === "number" ? raw : typeof raw === "string" ? parseDate(raw) : Number.NaN;
        if (
          Number.isNaN(ms) ||
          (typeof raw === "string" &&
            Number.isNaN(parseDateTime(raw)) &&
            !/^\d{4}-\d{2}-\d{2}$/.test(raw.trim()))
        ) {
          throw this.typeError(def, f, raw, opts);
        }
        return formatDate(ms);
      }
      case "datetime": {
        const ms = typeof raw === "number" ? raw : typeof raw === "string" ? parseDateTime(raw) : Number.NaN;
        if (Number.isNaN(ms)) throw this.typeError(def, f, raw, opts);
        return formatDateTime(ms);
      }
      case "time": {
        const t = typeof raw === "string" ? normalizeTime(raw) : null;
        if (!t) throw this.typeError(def, f, raw, opts);
        return t;
      }
      default:
        return raw;
    }
  }

  private checkRequired(def: ObjectDef, rec: Record<string, unknown>): void {
    const missing: string[] = [];
    for (const f of planOf(def).required) {
      if (f.defaultedOnCreate && rec[f.name] == null && f.name !== "OwnerId") continue;
      if (rec[f.name] === undefined || rec[f.name] === null) missing.push(f.name);
    }
    if (missing.length) {
      throw dmlError(
        "REQUIRED_FIELD_MISSING",
        `Required fields are missing: [${missing.join(", ")}]`,
        missing,
      );
    }
  }

  private checkUnique(t: Table, rec: StoredRecord): void {
    for (const f of planOf(t.def).unique) {
      if (rec[f.name] == null) continue;
      const ids = this.lookup(t.def, f.name, rec[f.name]);
      for (const other of ids ?? []) {
        if (other === rec.Id) continue;
        const o = t.rows.get(other);
        if (o && !o.IsDeleted) {
          throw dmlError(
            "DUPLICATE_VALUE",
            `duplicate value found: ${f.name} duplicates value on record with id: ${other}`,
            [],
          );
        }
      }
    }
  }

  /** Derived fields: Name of Contact/Lead/User, auto-numbers, IsClosed/IsWon. */
  private derive(t: Table, rec: StoredRecord, inserting: boolean): void {
    const def = t.def;
    const fm = def.fieldMap;
    const plan = planOf(def);
    if (plan.compositeName) {
      const first = typeof rec.FirstName === "string" && rec.FirstName ? rec.FirstName : "";
      const last = typeof rec.LastName === "string" && rec.LastName ? rec.LastName : "";
      if (first || last) rec.Name = first && last ? `${first} ${last}` : first || last;
      else delete rec.Name;
    }
    if (inserting) {
      // Auto-number fields: custom names use their display format from 1; standard ones
      // (Case.CaseNumber) look like Salesforce's 8-digit numbers from 00001001.
      for (const f of plan.autoNumbers) {
        if (rec[f.name] != null) continue;
        t.autoNumber++;
        const format = f.displayFormat || (f.custom || f.name === "Name" ? "{0}" : "{00000000}");
        const n = f.custom || f.name === "Name" ? t.autoNumber : 1000 + t.autoNumber;
        rec[f.name] = format.replace(/\{(0+)\}/, (_m, zeros: string) =>
          String(n).padStart(zeros.length, "0"),
        );
      }
    }
    if (def.name === "Opportunity" && typeof rec.StageName === "string") {
      rec.IsClosed = rec.StageName.startsWith("Closed");
      rec.IsWon = rec.StageName === "Closed Won";
    }
    if ((def.name === "Case" || def.name === "Task") && fm.has("isclosed")) {
      rec.IsClosed = rec.Status === "Closed" || rec.Status === "Completed";
    }
  }
}

/** Runs a write and returns a collections-style result instead of throwing. */
export function toDmlResult(
  fn: () => { id: string; created?: boolean } | string,
  withCreated = false,
): DmlResult {
  try {
    const out = fn();
    const id = typeof out === "string" ? out : out.id;
    const res: DmlResult = { id, success: true, errors: [] };
    if (withCreated) res.created = typeof out === "string" ? false : out.created === true;
    return res;
  } catch (e) {
    if (e instanceof DmlException) return { id: null, success: false, errors: e.errors };
    if (e instanceof MultipleMatchesError) {
      return {
        id: null,
        success: false,
        errors: [
          {
            statusCode: "DUPLICATE_EXTERNAL_ID",
            message: `Foreign key external ID: more than one record found with this value`,
            fields: [],
          },
        ],
      };
    }
    throw e;
  }
}

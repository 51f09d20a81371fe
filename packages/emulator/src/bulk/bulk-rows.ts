// One bulk row applied to the record store, as Salesforce does it for Bulk 1.0 and 2.0:
// header columns resolved to fields or `Relationship.ExternalIdField` lookups, an empty cell
// leaves the field unchanged, `#N/A` sets it to null, and any failure becomes the row's
// result (`CODE:message:fields --`), never an exception.
import { DmlException } from "../errors.js";
import { normalizeId } from "../ids.js";
import type { Schema } from "../schema/schema.js";
import type { FieldDef, ObjectDef } from "../schema/types.js";
import { MultipleMatchesError, type RecordStore } from "../store.js";

export type BulkOperation = "insert" | "update" | "upsert" | "delete" | "hardDelete";

/** A header column: a field, or a lookup through a relationship to an external id field. */
export type Column =
  | { kind: "field"; name: string; field: FieldDef }
  | { kind: "ref"; name: string; field: FieldDef; target: ObjectDef; targetField: FieldDef };

export interface RowOutcome {
  id: string | null;
  success: boolean;
  created: boolean;
  /** `CODE:message:fields --` for failures. */
  error: string;
  /** The structured error, for JSON and XML results. */
  errors: { statusCode: string; message: string; fields: string[] }[];
}

export class ColumnError extends Error {}

const OUTCOMES = new WeakSet<object>();

/** Resolves a header; unknown columns fail the whole job or batch (`InvalidBatch : Field name not found : X`). */
export function resolveColumns(schema: Schema, def: ObjectDef, header: readonly string[]): Column[] {
  return header.map((raw) => {
    const name = raw;
    const lower = name.trim().toLowerCase();
    const direct = def.fieldMap.get(lower);
    if (direct) return { kind: "field", name, field: direct };
    const dot = lower.indexOf(".");
    if (dot > 0) {
      let rel = lower.slice(0, dot);
      let typeName: string | undefined;
      if (rel.includes(":")) [rel, typeName] = rel.split(":") as [string, string];
      const field = def.relationshipMap.get(rel);
      const target = field ? schema.get(typeName ?? field.referenceTo[0] ?? "") : undefined;
      const targetField = target?.fieldMap.get(lower.slice(dot + 1));
      if (
        field &&
        target &&
        targetField &&
        (targetField.externalId || targetField.idLookup || targetField.type === "id")
      ) {
        return { kind: "ref", name, field, target, targetField };
      }
    }
    throw new ColumnError(`InvalidBatch : Field name not found : ${name}`);
  });
}

function failure(statusCode: string, message: string, fields: string[] = []): RowOutcome {
  const outcome: RowOutcome = {
    id: null,
    success: false,
    created: false,
    error: `${statusCode}:${message}:${fields.join(",")} --`,
    errors: [{ statusCode, message, fields }],
  };
  OUTCOMES.add(outcome);
  return outcome;
}

function fromException(error: unknown): RowOutcome {
  if (error instanceof DmlException) {
    const first = error.errors[0]!;
    const out = failure(first.statusCode, first.message, first.fields);
    out.errors = error.errors.map((e) => ({ ...e }));
    return out;
  }
  if (error instanceof MultipleMatchesError) {
    return failure(
      "DUPLICATE_EXTERNAL_ID",
      "Foreign key external ID: more than one record found with this value",
    );
  }
  return failure("UNKNOWN_EXCEPTION", error instanceof Error ? error.message : String(error));
}

export interface RowContext {
  store: RecordStore;
  schema: Schema;
  def: ObjectDef;
  operation: BulkOperation;
  externalIdField: string | undefined;
  userId: string | undefined;
}

/** Field values of a CSV row: "" is left out (unchanged), `#N/A` is null. */
function csvValues(
  ctx: RowContext,
  columns: readonly Column[],
  cells: readonly string[],
): Record<string, unknown> | RowOutcome {
  const values: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const cell = cells[i] ?? "";
    if (cell === "") continue;
    const value = cell === "#N/A" ? null : cell;
    if (column.kind === "field") {
      values[column.field.name] = value;
      continue;
    }
    if (value === null) {
      values[column.field.name] = null;
      continue;
    }
    const found = resolveReference(ctx, column.target, column.targetField, value, column.field);
    if (typeof found !== "string") return found;
    values[column.field.name] = found;
  }
  return values;
}

function resolveReference(
  ctx: RowContext,
  target: ObjectDef,
  targetField: FieldDef,
  value: string,
  field: FieldDef,
): string | RowOutcome {
  if (targetField.type === "id") return normalizeId(value) ?? value;
  const matches = ctx.store.findBy(target.name, targetField.name, value);
  if (matches.length === 0) {
    return failure(
      "INVALID_FIELD",
      `Foreign key external ID: ${value} not found for field ${targetField.name} in entity ${target.name}`,
      [field.name],
    );
  }
  if (matches.length > 1) {
    return failure(
      "DUPLICATE_EXTERNAL_ID",
      `Foreign key external ID: ${value} matches more than one record`,
      [field.name],
    );
  }
  return matches[0]!.Id;
}

/** Field values of a JSON/XML record: nested objects are relationship lookups. */
function recordValues(
  ctx: RowContext,
  record: Record<string, unknown>,
): Record<string, unknown> | RowOutcome {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === "attributes") continue;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const field = ctx.def.relationshipMap.get(key.toLowerCase());
      const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => k !== "attributes");
      const target = field ? ctx.schema.get(field.referenceTo[0] ?? "") : undefined;
      const [innerKey, innerValue] = entries[0] ?? [];
      const targetField = innerKey ? target?.fieldMap.get(innerKey.toLowerCase()) : undefined;
      if (!field || !target || !targetField || innerValue === undefined || innerValue === null) {
        return failure("INVALID_FIELD", `No such column '${key}' on entity '${ctx.def.name}'.`, [key]);
      }
      const found = resolveReference(ctx, target, targetField, String(innerValue), field);
      if (typeof found !== "string") return found;
      values[field.name] = found;
      continue;
    }
    values[key] = value;
  }
  return values;
}

function idOf(values: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(values))
    if (key.toLowerCase() === "id" && typeof value === "string") return value;
  return undefined;
}

/** Applies one row (CSV cells with resolved columns, or a JSON/XML record). */
export function applyRow(
  ctx: RowContext,
  input: { columns: readonly Column[]; cells: readonly string[] } | { record: Record<string, unknown> },
): RowOutcome {
  const values =
    "record" in input ? recordValues(ctx, input.record) : csvValues(ctx, input.columns, input.cells);
  if (OUTCOMES.has(values)) return values as RowOutcome;
  const fields = values as Record<string, unknown>;
  const opts = ctx.userId ? { userId: ctx.userId } : {};
  try {
    switch (ctx.operation) {
      case "insert": {
        const id = ctx.store.insert(ctx.def.name, fields, opts);
        return { id, success: true, created: true, error: "", errors: [] };
      }
      case "update": {
        const id = idOf(fields);
        if (!id) return failure("MISSING_ARGUMENT", "Id not specified in an update call", []);
        const rest = { ...fields };
        for (const key of Object.keys(rest)) if (key.toLowerCase() === "id") delete rest[key];
        const updated = ctx.store.update(ctx.def.name, id, rest, opts);
        return { id: updated, success: true, created: false, error: "", errors: [] };
      }
      case "upsert": {
        const ext = ctx.externalIdField ?? "Id";
        const key = Object.keys(fields).find((k) => k.toLowerCase() === ext.toLowerCase());
        const value = key ? fields[key] : undefined;
        const out = ctx.store.upsert(ctx.def.name, ext, value, fields, opts);
        return { id: out.id, success: true, created: out.created, error: "", errors: [] };
      }
      case "delete":
      case "hardDelete": {
        const id = idOf(fields);
        if (!id) return failure("MISSING_ARGUMENT", "Id not specified in a delete call", []);
        const deleted = ctx.store.delete(ctx.def.name, id);
        if (ctx.operation === "hardDelete") ctx.store.purge(deleted);
        return { id: deleted, success: true, created: false, error: "", errors: [] };
      }
    }
  } catch (error) {
    const out = fromException(error);
    if (ctx.operation !== "insert") {
      const id = idOf(fields);
      if (id && normalizeId(id)) out.id = normalizeId(id);
    }
    return out;
  }
}

// Rendering of stored values to the REST JSON wire form.
import { formatDouble, JsonDouble, toJson } from "../json.js";
import type { StoredRecord } from "../store.js";
import type { FieldDef, ObjectDef } from "../schema/types.js";

const compoundCache = new WeakMap<FieldDef, [string, string][]>();

function compoundParts(def: ObjectDef, f: FieldDef): [string, string][] {
  let parts = compoundCache.get(f);
  if (parts) return parts;
  const prefix = f.type === "address" ? f.name.replace(/Address$/, "") : "";
  parts = [];
  for (const c of def.fields) {
    if (c.compoundFieldName !== f.name) continue;
    let key: string;
    if (f.type === "location") key = /Latitude/.test(c.name) ? "latitude" : "longitude";
    else {
      const rest = c.name.slice(prefix.length);
      key = rest.charAt(0).toLowerCase() + rest.slice(1);
    }
    parts.push([key, c.name]);
  }
  parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  compoundCache.set(f, parts);
  return parts;
}

/** A field's value as Salesforce writes it in JSON. */
export function renderValue(def: ObjectDef, f: FieldDef, rec: StoredRecord): unknown {
  if (f.type === "address" || f.type === "location") {
    const parts = compoundParts(def, f);
    let any = false;
    const out: Record<string, unknown> = {};
    for (const [key, name] of parts) {
      const v = rec[name];
      if (v !== undefined && v !== null) any = true;
      out[key] =
        v === undefined || v === null
          ? null
          : key === "latitude" || key === "longitude"
            ? new JsonDouble(v as number)
            : v;
    }
    return any ? out : null;
  }
  const v = rec[f.name];
  if (v === undefined || v === null) return null;
  if (typeof v === "number" && (f.type === "double" || f.type === "currency" || f.type === "percent")) {
    return new JsonDouble(v);
  }
  return v;
}

/** A plain typed value (no JsonDouble) for aggregates and comparisons. */
export function wrapNumber(f: FieldDef | undefined, v: unknown): unknown {
  if (typeof v === "number" && f && (f.type === "double" || f.type === "currency" || f.type === "percent")) {
    return new JsonDouble(v);
  }
  return v;
}

export function recordUrl(version: string, type: string, id: string, tooling = false): string {
  return `/services/data/v${version}/${tooling ? "tooling/" : ""}sobjects/${type}/${id}`;
}

/** A whole record (all fields in describe order), as GET /sobjects/{T}/{id} returns it. */
export function renderFullRecord(
  def: ObjectDef,
  rec: StoredRecord,
  version: string,
  fields?: FieldDef[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: def.name, url: recordUrl(version, def.name, rec.Id, def.tooling) },
  };
  for (const f of fields ?? def.fields) {
    if (f.type === "base64" && rec[f.name] != null) {
      out[f.name] = `${recordUrl(version, def.name, rec.Id)}/${f.name}`;
      continue;
    }
    out[f.name] = renderValue(def, f, rec);
  }
  return out;
}

const jsonKeys = new WeakMap<FieldDef, string>();

/**
 * `toJson(renderFullRecord(def, rec, version))` without building the intermediate object:
 * the same bytes, written field by field (GET /sobjects/{T}/{id}, the most frequent read).
 */
export function fullRecordJson(def: ObjectDef, rec: StoredRecord, version: string): string {
  let out = `{"attributes":${JSON.stringify({ type: def.name, url: recordUrl(version, def.name, rec.Id, def.tooling) })}`;
  for (const f of def.fields) {
    let key = jsonKeys.get(f);
    if (key === undefined) jsonKeys.set(f, (key = `,${JSON.stringify(f.name)}:`));
    out += key;
    if (f.type === "base64" && rec[f.name] != null) {
      out += JSON.stringify(`${recordUrl(version, def.name, rec.Id)}/${f.name}`);
      continue;
    }
    const v = renderValue(def, f, rec);
    if (v === null) out += "null";
    else if (v instanceof JsonDouble) out += formatDouble(v.value);
    else if (typeof v === "string") {
      const text = JSON.stringify(v);
      // toJson unwraps marked doubles anywhere in its output; keep the same bytes.
      out += text.includes("\\u0001") ? toJson(v) : text;
    } else out += toJson(v);
  }
  return `${out}}`;
}

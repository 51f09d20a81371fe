// The org's schema: standard objects, custom objects, key prefixes and relationships.
import { buildField, field, makeChildRelationship, systemFields } from "./describe.js";
import type {
  ChildRelationship,
  CompactField,
  CompactObject,
  FieldDef,
  FieldType,
  ObjectDef,
} from "./types.js";

/** A custom field in the JSON schema option (`schema: [...]`). */
export interface CustomFieldSpec {
  name: string;
  /** Describe type: string, textarea, email, phone, url, picklist, multipicklist, boolean, int,
   *  double, currency, percent, date, datetime, time, reference, location, ... */
  type: FieldType;
  label?: string;
  length?: number;
  required?: boolean;
  externalId?: boolean;
  unique?: boolean;
  picklist?: (string | { value: string; label?: string; default?: boolean })[];
  /** Restricted picklist (reject values not in the list). */
  restricted?: boolean;
  referenceTo?: string | string[];
  /** Relationship name of a lookup (default: field name with `__c` → `__r`). */
  relationshipName?: string;
  /** Child relationship name on the parent object (default: `<Object plural>__r`). */
  childRelationshipName?: string;
  /** Master-detail: required, cascade delete, no owner. */
  masterDetail?: boolean;
  precision?: number;
  scale?: number;
  defaultValue?: unknown;
  /** A formula or roll-up: read-only, value computed by `formula` when given. */
  calculated?: boolean;
}

/** A custom object in the JSON schema option. */
export interface CustomObjectSpec {
  name: string;
  label?: string;
  labelPlural?: string;
  keyPrefix?: string;
  /** The Name field: Text (default) or AutoNumber, with its label. */
  nameField?: { label?: string; type?: "Text" | "AutoNumber"; displayFormat?: string };
  fields?: CustomFieldSpec[];
}

export class Schema {
  private readonly objects = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();
  private readonly compacts = new Map<string, CompactObject>();
  private nextCustomPrefix = 0;

  constructor(compacts: CompactObject[] = []) {
    for (const c of compacts) this.compacts.set(c.name.toLowerCase(), c);
    this.link();
  }

  /** Adds (or replaces) objects and recomputes relationships. */
  addObjects(compacts: CompactObject[]): void {
    for (const c of compacts) this.compacts.set(c.name.toLowerCase(), c);
    this.link();
  }

  /** Adds custom objects from the JSON schema form. */
  addCustomObjects(specs: CustomObjectSpec[]): void {
    const added: CompactObject[] = [];
    for (const s of specs) {
      const existing = this.compacts.get(s.name.toLowerCase());
      if (existing && !s.name.endsWith("__c")) {
        // Custom fields on a standard object (objects/Account/fields/*__c in a project).
        for (const f of s.fields ?? []) {
          const compact = customFieldToCompact(f, existing.label ?? existing.name);
          existing.fields = existing.fields.filter((x) => !compact.some((c) => c.name === x.name));
          existing.fields.push(...compact);
        }
      } else added.push(this.customObjectToCompact(s));
    }
    this.addObjects(added);
  }

  /** Case-insensitive lookup by API name. */
  get(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** The object whose key prefix starts the id. */
  forId(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  /** All objects, sorted by name. */
  list(): ObjectDef[] {
    return [...this.objects.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Compact definitions (for persistence and for other modules). */
  compactObjects(): CompactObject[] {
    return [...this.compacts.values()];
  }

  customObjectToCompact(s: CustomObjectSpec): CompactObject {
    const name = s.name;
    const label = s.label ?? name.replace(/__c$/, "").replace(/_/g, " ");
    const masterDetail = (s.fields ?? []).some((f) => f.masterDetail);
    const nameType = s.nameField?.type ?? "Text";
    const fields: CompactField[] = [
      field("Id", "id", { label: "Record ID" }),
      ...(masterDetail ? [] : [systemFields()[0]!]),
      field("IsDeleted", "boolean", { label: "Deleted", createable: false, updateable: false }),
      field("Name", "string", {
        label: s.nameField?.label ?? `${label} Name`,
        length: 80,
        nameField: true,
        nillable: nameType !== "AutoNumber",
        autoNumber: nameType === "AutoNumber",
        defaultedOnCreate: true,
        _displayFormat: s.nameField?.displayFormat,
      }),
      ...systemFields({ owner: false }).filter((f) => f.name !== "IsDeleted"),
      field("LastActivityDate", "date", {
        label: "Last Activity Date",
        createable: false,
        updateable: false,
      }),
      field("LastViewedDate", "datetime", {
        label: "Last Viewed Date",
        createable: false,
        updateable: false,
      }),
      field("LastReferencedDate", "datetime", {
        label: "Last Referenced Date",
        createable: false,
        updateable: false,
      }),
    ];
    for (const f of s.fields ?? []) fields.push(...customFieldToCompact(f, label));
    return {
      name,
      label,
      labelPlural: s.labelPlural ?? label + "s",
      keyPrefix: s.keyPrefix ?? this.allocatePrefix(),
      custom: true,
      mergeable: false,
      fields,
    };
  }

  private allocatePrefix(): string {
    for (;;) {
      const n = this.nextCustomPrefix++;
      const prefix =
        "a" +
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[Math.floor(n / 36) % 36] +
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 36];
      if (![...this.compacts.values()].some((c) => c.keyPrefix === prefix)) return prefix;
    }
  }

  private link(): void {
    this.objects.clear();
    this.byPrefix.clear();
    for (const c of this.compacts.values()) {
      const fields = c.fields.map((f) => buildField(f));
      const fieldMap = new Map<string, FieldDef>();
      const relationshipMap = new Map<string, FieldDef>();
      for (const f of fields) {
        fieldMap.set(f.name.toLowerCase(), f);
        if (f.relationshipName) relationshipMap.set(f.relationshipName.toLowerCase(), f);
      }
      const flags: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c)) if (k !== "fields" && k !== "childRelationships") flags[k] = v;
      const nameField = fields.find((f) => f.nameField) ?? null;
      const o: ObjectDef = {
        name: c.name,
        label: c.label ?? c.name,
        labelPlural: c.labelPlural ?? c.label ?? c.name,
        keyPrefix: c.keyPrefix ?? null,
        custom: c.custom ?? c.name.endsWith("__c"),
        tooling: c.tooling === true,
        fields,
        fieldMap,
        relationshipMap,
        childRelationships: [],
        childMap: new Map(),
        flags,
        nameFieldName: nameField ? nameField.name : null,
      };
      this.objects.set(c.name.toLowerCase(), o);
      if (o.keyPrefix) this.byPrefix.set(o.keyPrefix, o);
    }
    // Child relationships: recorded ones first, then any lookup that points at the object.
    for (const o of this.objects.values()) {
      const c = this.compacts.get(o.name.toLowerCase())!;
      const seen = new Set<string>();
      const rels: ChildRelationship[] = [];
      for (const [childName, fieldName, relName, cascade, restricted] of c.childRelationships ?? []) {
        const childObj = this.get(childName);
        const f = childObj?.fieldMap.get(fieldName.toLowerCase());
        if (!childObj || !f) continue;
        seen.add(`${childObj.name}.${f.name}`);
        rels.push(makeChildRelationship(childObj.name, f.name, relName, cascade, restricted));
      }
      for (const childObj of this.objects.values()) {
        const childCompact = this.compacts.get(childObj.name.toLowerCase())!;
        for (const f of childObj.fields) {
          if (f.type !== "reference" || !f.referenceTo.some((r) => r.toLowerCase() === o.name.toLowerCase()))
            continue;
          if (seen.has(`${childObj.name}.${f.name}`)) continue;
          const compactField = childCompact.fields.find((x) => x.name === f.name);
          const relName = (compactField?._childRelationshipName as string | undefined) ?? null;
          if (!relName && !f.custom) continue;
          seen.add(`${childObj.name}.${f.name}`);
          rels.push(
            makeChildRelationship(childObj.name, f.name, relName, f.describe.cascadeDelete === true, false),
          );
        }
      }
      rels.sort((a, b) => (a.childSObject < b.childSObject ? -1 : a.childSObject > b.childSObject ? 1 : 0));
      o.childRelationships = rels;
      for (const r of rels) if (r.relationshipName) o.childMap.set(r.relationshipName.toLowerCase(), r);
    }
  }
}

export function customFieldToCompact(f: CustomFieldSpec, objectLabel: string): CompactField[] {
  const label = f.label ?? f.name.replace(/__c$/, "").replace(/_/g, " ");
  if (f.type === "location") {
    const base = f.name.replace(/__c$/, "");
    const scale = f.scale ?? 7;
    return [
      field(`${base}__Latitude__s`, "double", {
        label: `${label} (Latitude)`,
        precision: 10,
        scale,
        compoundFieldName: f.name,
        custom: true,
      }),
      field(`${base}__Longitude__s`, "double", {
        label: `${label} (Longitude)`,
        precision: 11,
        scale,
        compoundFieldName: f.name,
        custom: true,
      }),
      field(f.name, "location", { label, custom: true, scale }),
    ];
  }
  const spec: Record<string, unknown> = {
    label,
    length: f.length,
    required: f.required || f.masterDetail,
    externalId: f.externalId,
    unique: f.unique,
    picklist: f.picklist,
    restricted: f.restricted,
    referenceTo: f.referenceTo,
    precision: f.precision,
    scale: f.scale,
    custom: true,
    calculated: f.calculated,
  };
  if (f.type === "reference") {
    spec.relationshipName = f.relationshipName ?? f.name.replace(/__c$/, "__r");
    spec._childRelationshipName = f.childRelationshipName ?? `${objectLabel.replace(/\s+/g, "_")}s__r`;
    if (f.masterDetail) {
      spec.cascadeDelete = true;
      spec.relationshipOrder = 0;
      spec.updateable = true;
    }
  }
  if (f.defaultValue !== undefined) {
    spec.defaultValue = f.defaultValue;
    spec.defaultedOnCreate = true;
  }
  if (f.type === "boolean") spec.defaultValue = f.defaultValue === true;
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  return [field(f.name, f.type, spec)];
}

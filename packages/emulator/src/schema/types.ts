// Schema model: describe metadata of sObjects and their fields.

export type FieldType =
  | "id"
  | "reference"
  | "string"
  | "textarea"
  | "picklist"
  | "multipicklist"
  | "combobox"
  | "boolean"
  | "currency"
  | "double"
  | "percent"
  | "int"
  | "long"
  | "date"
  | "datetime"
  | "time"
  | "email"
  | "phone"
  | "url"
  | "address"
  | "location"
  | "base64"
  | "encryptedstring"
  | "anyType";

/** Compact field definition: name, type, label, and any describe key that differs from the defaults. */
export interface CompactField {
  name: string;
  type: string;
  label?: string;
  /** `[value, label, isDefault(0|1), inactive?(0)]` */
  picklistValues?: (string | number)[][];
  referenceTo?: string[];
  relationshipName?: string | null;
  [key: string]: unknown;
}

/** `[childSObject, field, relationshipName, cascadeDelete, restrictedDelete]` */
export type CompactChild = [string, string, string, boolean, boolean];

export interface CompactObject {
  name: string;
  label?: string;
  labelPlural?: string;
  keyPrefix?: string | null;
  custom?: boolean;
  fields: CompactField[];
  childRelationships?: CompactChild[];
  [key: string]: unknown;
}

export interface PicklistValue {
  active: boolean;
  defaultValue: boolean;
  label: string;
  validFor: null;
  value: string;
}

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  length: number;
  precision: number;
  scale: number;
  digits: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  custom: boolean;
  externalId: boolean;
  unique: boolean;
  idLookup: boolean;
  nameField: boolean;
  calculated: boolean;
  autoNumber: boolean;
  caseSensitive: boolean;
  restrictedPicklist: boolean;
  picklistValues: PicklistValue[];
  referenceTo: string[];
  relationshipName: string | null;
  compoundFieldName: string | null;
  /** Default value given to new records when the field is omitted. */
  defaultValue: unknown;
  /** Auto-number display format, e.g. `A-{0000}`. */
  displayFormat?: string;
  /** Full describe entry (alphabetical keys). */
  describe: Record<string, unknown>;
}

export interface ChildRelationship {
  cascadeDelete: boolean;
  childSObject: string;
  deprecatedAndHidden: boolean;
  field: string;
  junctionIdListNames: string[];
  junctionReferenceTo: string[];
  relationshipName: string | null;
  restrictedDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  custom: boolean;
  /** Tooling API object (served under /tooling). */
  tooling: boolean;
  fields: FieldDef[];
  /** lower-cased field name → field */
  fieldMap: Map<string, FieldDef>;
  /** lower-cased relationship name → reference field */
  relationshipMap: Map<string, FieldDef>;
  childRelationships: ChildRelationship[];
  /** lower-cased child relationship name → child relationship */
  childMap: Map<string, ChildRelationship>;
  /** Object-level describe flags (createable, queryable, …) */
  flags: Record<string, unknown>;
  /** Fields searched by SOSL IN NAME FIELDS (the name field). */
  nameFieldName: string | null;
}

// Builds describe metadata (field entries, object describe, global describe entries) in the
// shape Salesforce sends: alphabetical keys, nested `urls` in Salesforce's order.
import type {
  ChildRelationship,
  CompactField,
  FieldDef,
  FieldType,
  ObjectDef,
  PicklistValue,
} from "./types.js";

const SOAP_TYPES: Record<string, string> = {
  id: "tns:ID",
  reference: "tns:ID",
  boolean: "xsd:boolean",
  currency: "xsd:double",
  double: "xsd:double",
  percent: "xsd:double",
  int: "xsd:int",
  long: "xsd:long",
  date: "xsd:date",
  datetime: "xsd:dateTime",
  time: "xsd:time",
  address: "urn:address",
  location: "urn:location",
  base64: "xsd:base64Binary",
  anyType: "xsd:anyType",
};

/** Describe defaults (most common value of each key in real describes). */
const FIELD_DEFAULTS: Record<string, unknown> = {
  aggregatable: true,
  aiPredictionField: false,
  autoNumber: false,
  calculated: false,
  calculatedFormula: null,
  cascadeDelete: false,
  caseSensitive: false,
  compoundFieldName: null,
  controllerName: null,
  createable: true,
  custom: false,
  defaultValue: null,
  defaultValueFormula: null,
  defaultedOnCreate: false,
  dependentPicklist: false,
  deprecatedAndHidden: false,
  digits: 0,
  displayLocationInDecimal: false,
  encrypted: false,
  externalId: false,
  extraTypeInfo: null,
  filterable: true,
  filteredLookupInfo: null,
  formulaTreatNullNumberAsZero: false,
  groupable: true,
  highScaleNumber: false,
  htmlFormatted: false,
  idLookup: false,
  inlineHelpText: null,
  length: 0,
  mask: null,
  maskType: null,
  nameField: false,
  namePointing: false,
  nillable: true,
  permissionable: true,
  picklistValues: [],
  polymorphicForeignKey: false,
  precision: 0,
  queryByDistance: false,
  referenceTargetField: null,
  referenceTo: [],
  relationshipName: null,
  relationshipOrder: null,
  restrictedDelete: false,
  restrictedPicklist: false,
  scale: 0,
  searchPrefilterable: false,
  sortable: true,
  unique: false,
  updateable: true,
  writeRequiresMasterRead: false,
};

const STRINGISH = new Set([
  "string",
  "textarea",
  "picklist",
  "multipicklist",
  "combobox",
  "email",
  "phone",
  "url",
  "encryptedstring",
]);

export function isStringType(type: string): boolean {
  return STRINGISH.has(type);
}

export function isNumberType(type: string): boolean {
  return type === "double" || type === "currency" || type === "percent" || type === "int" || type === "long";
}

export function soapTypeOf(type: string): string {
  return SOAP_TYPES[type] ?? "xsd:string";
}

/** Builds a field from its compact form (differences from FIELD_DEFAULTS). */
export function buildField(c: CompactField): FieldDef {
  const d: Record<string, unknown> = { ...FIELD_DEFAULTS };
  for (const [k, v] of Object.entries(c)) {
    if (k === "picklistValues" || k.startsWith("_")) continue;
    d[k] = v;
  }
  d.label ??= c.name;
  const picklistValues: PicklistValue[] = (c.picklistValues ?? []).map((p) => ({
    active: p[3] !== 0,
    defaultValue: p[2] === 1,
    label: String(p[1] ?? p[0]),
    validFor: null,
    value: String(p[0]),
  }));
  d.picklistValues = picklistValues;
  const type = c.type as FieldType;
  d.soapType ??= soapTypeOf(type);
  d.byteLength ??= STRINGISH.has(type)
    ? (d.length as number) * 3
    : type === "id" || type === "reference"
      ? 18
      : 0;
  const describe: Record<string, unknown> = {};
  for (const k of Object.keys(d).sort()) describe[k] = d[k];
  const defaultPick = picklistValues.find((p) => p.defaultValue && p.active);
  let defaultValue: unknown = null;
  if (type === "boolean") defaultValue = d.defaultValue === true || d.defaultValue === "true";
  else if (defaultPick) defaultValue = defaultPick.value;
  else if (d.defaultValue !== null && d.defaultValue !== undefined && typeof d.defaultValue !== "object")
    defaultValue = d.defaultValue;
  return {
    name: c.name,
    type,
    label: d.label as string,
    length: d.length as number,
    precision: d.precision as number,
    scale: d.scale as number,
    digits: d.digits as number,
    nillable: d.nillable as boolean,
    createable: d.createable as boolean,
    updateable: d.updateable as boolean,
    defaultedOnCreate: d.defaultedOnCreate as boolean,
    custom: d.custom as boolean,
    externalId: d.externalId as boolean,
    unique: d.unique as boolean,
    idLookup: d.idLookup as boolean,
    nameField: d.nameField as boolean,
    calculated: d.calculated as boolean,
    autoNumber: d.autoNumber as boolean,
    caseSensitive: d.caseSensitive as boolean,
    restrictedPicklist: d.restrictedPicklist as boolean,
    picklistValues,
    referenceTo: (d.referenceTo as string[]) ?? [],
    relationshipName: (d.relationshipName as string | null) ?? null,
    compoundFieldName: (d.compoundFieldName as string | null) ?? null,
    defaultValue,
    displayFormat: typeof c._displayFormat === "string" ? c._displayFormat : undefined,
    describe,
  };
}

export interface FieldSpec {
  label?: string;
  length?: number;
  required?: boolean;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  externalId?: boolean;
  unique?: boolean;
  nameField?: boolean;
  calculated?: boolean;
  autoNumber?: boolean;
  precision?: number;
  scale?: number;
  digits?: number;
  picklist?: (string | { value: string; label?: string; default?: boolean })[];
  restricted?: boolean;
  referenceTo?: string | string[];
  relationshipName?: string;
  compoundFieldName?: string;
  defaultValue?: unknown;
  custom?: boolean;
  caseSensitive?: boolean;
  [key: string]: unknown;
}

/** A compact field with type-appropriate defaults (for hand-written and custom schemas). */
export function field(name: string, type: FieldType, spec: FieldSpec = {}): CompactField {
  const c: CompactField = { name, type, label: spec.label ?? name };
  const { picklist, restricted, required, referenceTo, ...rest } = spec;
  if (STRINGISH.has(type))
    c.length = spec.length ?? (type === "textarea" ? 32768 : type === "phone" ? 40 : 255);
  if (type === "picklist" || type === "multipicklist") c.length ??= 255;
  if (type === "id") {
    Object.assign(c, {
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
      idLookup: true,
      length: 18,
      permissionable: false,
    });
  }
  if (type === "boolean")
    Object.assign(c, { nillable: false, defaultedOnCreate: true, defaultValue: false, aggregatable: false });
  if (type === "textarea" && (c.length as number) > 255)
    Object.assign(c, { filterable: false, groupable: false, sortable: false, aggregatable: false });
  if (type === "double" || type === "currency" || type === "percent") {
    Object.assign(c, { precision: spec.precision ?? 18, scale: spec.scale ?? 0, groupable: false });
  }
  if (type === "int") Object.assign(c, { digits: spec.digits ?? 9 });
  if (type === "datetime" || type === "address" || type === "location") c.groupable = false;
  if (type === "address" || type === "location")
    Object.assign(c, {
      createable: false,
      updateable: false,
      aggregatable: false,
      sortable: false,
      queryByDistance: true,
    });
  if (type === "email" || type === "string" || type === "phone" || type === "url") c.aggregatable ??= true;
  if (type === "reference") {
    c.referenceTo = Array.isArray(referenceTo) ? referenceTo : referenceTo ? [referenceTo] : [];
    c.length = 18;
    if ((c.referenceTo as string[]).length > 1) c.polymorphicForeignKey = true;
  }
  if (required) Object.assign(c, { nillable: false });
  if (picklist) {
    c.picklistValues = picklist.map((p) =>
      typeof p === "string" ? [p, p, 0] : [p.value, p.label ?? p.value, p.default ? 1 : 0],
    );
    if (restricted) c.restrictedPicklist = true;
  }
  if (name.endsWith("__c") || name.endsWith("__s")) c.custom = true;
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) c[k] = v;
  if (c.externalId) Object.assign(c, { idLookup: true, searchPrefilterable: false });
  if (c.nameField) c.idLookup = true;
  if (c.calculated || c.autoNumber) Object.assign(c, { createable: false, updateable: false });
  return c;
}

/** System fields every object carries (after its own fields). */
export function systemFields(opts: { owner?: boolean; label?: string } = {}): CompactField[] {
  const out: CompactField[] = [];
  if (opts.owner !== false) {
    out.push(
      field("OwnerId", "reference", {
        label: "Owner ID",
        referenceTo: "User",
        relationshipName: "Owner",
        nillable: false,
        defaultedOnCreate: true,
      }),
    );
  }
  out.push(
    field("IsDeleted", "boolean", { label: "Deleted", createable: false, updateable: false }),
    field("CreatedDate", "datetime", {
      label: "Created Date",
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field("CreatedById", "reference", {
      label: "Created By ID",
      referenceTo: "User",
      relationshipName: "CreatedBy",
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field("LastModifiedDate", "datetime", {
      label: "Last Modified Date",
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field("LastModifiedById", "reference", {
      label: "Last Modified By ID",
      referenceTo: "User",
      relationshipName: "LastModifiedBy",
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field("SystemModstamp", "datetime", {
      label: "System Modstamp",
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
  );
  return out;
}

function objectUrls(o: ObjectDef, version: string, base: string, full: boolean): Record<string, string> {
  const p = `/services/data/v${version}/${o.tooling ? "tooling/" : ""}sobjects/${o.name}`;
  if (!o.flags.layoutable) return { rowTemplate: `${p}/{ID}`, describe: `${p}/describe`, sobject: p };
  const urls: Record<string, string> = {
    compactLayouts: `${p}/describe/compactLayouts`,
    rowTemplate: `${p}/{ID}`,
    approvalLayouts: `${p}/describe/approvalLayouts`,
  };
  if (full) {
    urls.uiDetailTemplate = `${base}/{ID}`;
    urls.uiEditTemplate = `${base}/{ID}/e`;
    urls.defaultValues = `${p}/defaultValues?recordTypeId&fields`;
  }
  urls.listviews = `${p}/listviews`;
  urls.describe = `${p}/describe`;
  if (full) urls.uiNewRecord = `${base}/${o.keyPrefix}/e`;
  urls.quickActions = `${p}/quickActions`;
  urls.layouts = `${p}/describe/layouts`;
  urls.sobject = p;
  return urls;
}

function flag(o: ObjectDef, key: string, fallback: unknown): unknown {
  return key in o.flags ? o.flags[key] : fallback;
}

/** One entry of the global describe (`GET /sobjects`), also `objectDescribe` of basic info. */
export function globalDescribeEntry(o: ObjectDef, version: string): Record<string, unknown> {
  return {
    activateable: flag(o, "activateable", false),
    associateEntityType: null,
    associateParentEntity: null,
    createable: flag(o, "createable", true),
    custom: o.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: flag(o, "deletable", true),
    deprecatedAndHidden: false,
    feedEnabled: flag(o, "feedEnabled", false),
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: flag(o, "layoutable", true),
    mergeable: flag(o, "mergeable", false),
    mruEnabled: flag(o, "mruEnabled", true),
    name: o.name,
    queryable: flag(o, "queryable", true),
    replicateable: flag(o, "replicateable", true),
    retrieveable: flag(o, "retrieveable", true),
    searchable: flag(o, "searchable", true),
    triggerable: flag(o, "triggerable", true),
    undeletable: flag(o, "undeletable", true),
    updateable: flag(o, "updateable", true),
    urls: objectUrls(o, version, "", false),
  };
}

const MASTER_RECORD_TYPE = "012000000000000AAA";

/** Full sObject describe (`GET /sobjects/{T}/describe`). */
export function describeObject(o: ObjectDef, version: string, instanceUrl: string): Record<string, unknown> {
  const d = describeObjectAll(o, version, instanceUrl);
  if (Number(version) < 50) {
    // Recorded v48 describes lack these keys; v53 recordings have them (boundary approximated).
    delete d.associateEntityType;
    delete d.associateParentEntity;
    delete d.sobjectDescribeOption;
  }
  return d;
}

function describeObjectAll(o: ObjectDef, version: string, instanceUrl: string): Record<string, unknown> {
  const p = `/services/data/v${version}/sobjects/${o.name}`;
  return {
    actionOverrides: [],
    activateable: flag(o, "activateable", false),
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships: o.childRelationships,
    compactLayoutable: flag(o, "compactLayoutable", true),
    createable: flag(o, "createable", true),
    custom: o.custom,
    customSetting: false,
    deepCloneable: false,
    defaultImplementation: null,
    deletable: flag(o, "deletable", true),
    deprecatedAndHidden: false,
    extendedBy: null,
    extendsInterfaces: null,
    feedEnabled: flag(o, "feedEnabled", false),
    fields: o.fields.map((f) => f.describe),
    hasSubtypes: false,
    implementedBy: null,
    implementsInterfaces: null,
    isInterface: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: flag(o, "layoutable", true),
    listviewable: null,
    lookupLayoutable: null,
    mergeable: flag(o, "mergeable", false),
    mruEnabled: flag(o, "mruEnabled", true),
    name: o.name,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: flag(o, "queryable", true),
    recordTypeInfos: flag(o, "layoutable", true)
      ? [
          {
            active: true,
            available: true,
            defaultRecordTypeMapping: true,
            developerName: "Master",
            master: true,
            name: "Master",
            recordTypeId: MASTER_RECORD_TYPE,
            urls: { layout: `${p}/describe/layouts/${MASTER_RECORD_TYPE}` },
          },
        ]
      : [],
    replicateable: flag(o, "replicateable", true),
    retrieveable: flag(o, "retrieveable", true),
    searchLayoutable: flag(o, "searchLayoutable", true),
    searchable: flag(o, "searchable", true),
    sobjectDescribeOption: "FULL",
    supportedScopes: flag(o, "supportedScopes", [
      { label: "All " + o.labelPlural.toLowerCase(), name: "everything" },
    ]),
    triggerable: flag(o, "triggerable", true),
    undeletable: flag(o, "undeletable", true),
    updateable: flag(o, "updateable", true),
    urls: objectUrls(o, version, instanceUrl, true),
  };
}

/** A minimal but valid layout (`describe/layouts/{recordTypeId}`). */
export function describeLayout(o: ObjectDef, recordTypeId = MASTER_RECORD_TYPE): Record<string, unknown> {
  const items = o.fields
    .filter((f) => f.createable || f.updateable)
    .map((f) => ({
      editableForNew: f.createable,
      editableForUpdate: f.updateable,
      label: f.label,
      layoutComponents: [{ details: f.describe, displayLines: 1, tabOrder: 1, type: "Field", value: f.name }],
      placeholder: false,
      required: !f.nillable && !f.defaultedOnCreate && f.type !== "boolean",
    }));
  const rows = [];
  for (let i = 0; i < items.length; i += 2) {
    const layoutItems = items.slice(i, i + 2);
    rows.push({ layoutItems, numItems: layoutItems.length });
  }
  const section = {
    collapsed: false,
    columns: 2,
    heading: "Information",
    layoutRows: rows,
    layoutSectionId: null,
    parentLayoutId: null,
    rows: rows.length,
    tabOrder: "TopToBottom",
    useCollapsibleSection: false,
    useHeading: false,
  };
  return {
    buttonLayoutSection: { detailButtons: [] },
    detailLayoutSections: [section],
    editLayoutSections: [section],
    feedView: null,
    highlightsPanelLayoutSection: null,
    id:
      recordTypeId === MASTER_RECORD_TYPE
        ? `00h${o.keyPrefix ?? "000"}000000000AAA`.slice(0, 18)
        : recordTypeId,
    multirowEditLayoutSections: [],
    offlineLinks: [],
    quickActionList: { quickActionListItems: [] },
    relatedContent: null,
    relatedLists: o.childRelationships
      .filter((c) => c.relationshipName)
      .map((c) => ({
        field: c.field,
        label: c.relationshipName,
        name: c.relationshipName,
        sobject: c.childSObject,
      })),
    saveOptions: [],
  };
}

export function makeChildRelationship(
  childSObject: string,
  fieldName: string,
  relationshipName: string | null,
  cascadeDelete = false,
  restrictedDelete = false,
): ChildRelationship {
  return {
    cascadeDelete,
    childSObject,
    deprecatedAndHidden: false,
    field: fieldName,
    junctionIdListNames: [],
    junctionReferenceTo: [],
    relationshipName,
    restrictedDelete,
  };
}

export { MASTER_RECORD_TYPE };

// Custom objects from a Salesforce DX project in source format:
// <project>/**/objects/<Name>/<Name>.object-meta.xml and fields/*.field-meta.xml.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { child, children, childText, parseXml, type XmlElement } from "../xml.js";
import type { CustomFieldSpec, CustomObjectSpec } from "./schema.js";
import type { FieldType } from "./types.js";
import { pathNotFound } from "../option-error.js";

const TYPE_MAP: Record<string, FieldType> = {
  Text: "string",
  TextArea: "textarea",
  LongTextArea: "textarea",
  Html: "textarea",
  EncryptedText: "encryptedstring",
  Email: "email",
  Phone: "phone",
  Url: "url",
  Number: "double",
  Currency: "currency",
  Percent: "percent",
  Checkbox: "boolean",
  Date: "date",
  DateTime: "datetime",
  Time: "time",
  Picklist: "picklist",
  MultiselectPicklist: "multipicklist",
  Lookup: "reference",
  MasterDetail: "reference",
  Location: "location",
  AutoNumber: "string",
};

/** Finds every `objects` folder under a project path (force-app, or a folder holding it). */
function findObjectFolders(root: string, depth = 0): string[] {
  if (depth > 6 || !existsSync(root) || !statSync(root).isDirectory()) return [];
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = join(root, entry.name);
    if (entry.name === "objects") out.push(full);
    else out.push(...findObjectFolders(full, depth + 1));
  }
  return out;
}

function bool(el: XmlElement | undefined, name: string): boolean {
  return childText(el, name) === "true";
}

function num(el: XmlElement | undefined, name: string): number | undefined {
  const t = childText(el, name);
  return t === undefined || t === "" ? undefined : Number(t);
}

function parseField(xml: XmlElement, objectLabel: string): CustomFieldSpec | undefined {
  const name = childText(xml, "fullName");
  const rawType = childText(xml, "type");
  if (!name || !rawType) return undefined;
  const type = TYPE_MAP[rawType] ?? "string";
  const spec: CustomFieldSpec = { name, type, label: childText(xml, "label") ?? name };
  const length = num(xml, "length");
  if (length !== undefined) spec.length = length;
  else if (rawType === "TextArea") spec.length = 255;
  else if (rawType === "AutoNumber") spec.length = 30;
  if (bool(xml, "required")) spec.required = true;
  if (bool(xml, "externalId")) spec.externalId = true;
  if (bool(xml, "unique")) spec.unique = true;
  const precision = num(xml, "precision");
  const scale = num(xml, "scale");
  if (precision !== undefined) spec.precision = precision;
  if (scale !== undefined) spec.scale = scale;
  if (child(xml, "formula")) {
    spec.calculated = true;
    if (rawType === "Text") spec.length = 1300;
  }
  if (rawType === "AutoNumber") spec.calculated = true;
  if (type === "reference") {
    const ref = childText(xml, "referenceTo");
    if (ref) spec.referenceTo = ref;
    const rel = childText(xml, "relationshipName");
    if (rel) spec.childRelationshipName = `${rel}__r`;
    spec.relationshipName = name.replace(/__c$/, "__r");
    if (rawType === "MasterDetail") spec.masterDetail = true;
  }
  if (type === "boolean") {
    spec.defaultValue = childText(xml, "defaultValue") === "true";
  }
  const valueSet = child(xml, "valueSet");
  if (valueSet) {
    if (bool(valueSet, "restricted")) spec.restricted = true;
    const def = child(valueSet, "valueSetDefinition");
    spec.picklist = children(def, "value").map((v) => ({
      value: childText(v, "fullName") ?? "",
      label: childText(v, "label") ?? childText(v, "fullName") ?? "",
      default: childText(v, "default") === "true",
    }));
  }
  void objectLabel;
  return spec;
}

/** Reads the custom objects (`*__c`) of a source-format project. */
export function loadSourceProject(projectPath: string): CustomObjectSpec[] {
  const out: CustomObjectSpec[] = [];
  const folders = findObjectFolders(projectPath);
  if (projectPath.endsWith("objects") && existsSync(projectPath)) folders.unshift(projectPath);
  if (!existsSync(projectPath)) throw pathNotFound("folder", projectPath, "project");
  for (const folder of new Set(folders)) {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const objectName = entry.name;
      const metaFile = join(folder, objectName, `${objectName}.object-meta.xml`);
      if (!existsSync(metaFile)) continue;
      const meta = parseXml(readFileSync(metaFile, "utf8"));
      const label = childText(meta, "label") ?? objectName;
      const nameField = child(meta, "nameField");
      const spec: CustomObjectSpec = {
        name: objectName,
        label,
        labelPlural: childText(meta, "pluralLabel") ?? `${label}s`,
        nameField: {
          label: childText(nameField, "label") ?? `${label} Name`,
          type: childText(nameField, "type") === "AutoNumber" ? "AutoNumber" : "Text",
          displayFormat: childText(nameField, "displayFormat") ?? "",
        },
        fields: [],
      };
      const fieldsDir = join(folder, objectName, "fields");
      if (existsSync(fieldsDir)) {
        for (const file of readdirSync(fieldsDir).sort()) {
          if (!file.endsWith(".field-meta.xml")) continue;
          const f = parseField(parseXml(readFileSync(join(fieldsDir, file), "utf8")), label);
          if (f) spec.fields!.push(f);
        }
      }
      out.push(spec);
    }
  }
  return out;
}

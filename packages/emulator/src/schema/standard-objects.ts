// The standard objects the emulator knows: Account, Contact, Lead, Opportunity, Case and Task come
// from real recorded describes (recorded-objects.ts); User, Organization and the Tooling objects are
// written here in the same shape.
import { field, systemFields } from "./describe.js";
import { RECORDED_OBJECTS } from "./recorded-objects.js";
import type { CompactObject } from "./types.js";

const EXT_ID = field("Ext_Id__c", "string", {
  label: "External Id",
  length: 255,
  externalId: true,
  custom: true,
});

const USER: CompactObject = {
  name: "User",
  label: "User",
  labelPlural: "Users",
  keyPrefix: "005",
  deletable: false,
  undeletable: false,
  mergeable: false,
  fields: [
    field("Id", "id", { label: "User ID" }),
    field("Username", "string", {
      label: "Username",
      length: 80,
      required: true,
      unique: true,
      idLookup: true,
    }),
    field("LastName", "string", { label: "Last Name", length: 80, required: true }),
    field("FirstName", "string", { label: "First Name", length: 40 }),
    field("Name", "string", {
      label: "Full Name",
      length: 121,
      createable: false,
      updateable: false,
      nameField: true,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field("CompanyName", "string", { label: "Company Name", length: 80 }),
    field("Title", "string", { label: "Title", length: 80 }),
    field("Email", "email", { label: "Email", length: 128, required: true }),
    field("Phone", "phone", { label: "Phone" }),
    field("Alias", "string", { label: "Alias", length: 8, required: true }),
    field("IsActive", "boolean", { label: "Active", defaultValue: true }),
    field("TimeZoneSidKey", "picklist", {
      label: "Time Zone",
      length: 40,
      required: true,
      picklist: [
        "America/Los_Angeles",
        "America/New_York",
        "Europe/London",
        "Europe/Paris",
        "GMT",
        "Asia/Tokyo",
      ],
      restricted: true,
    }),
    field("LocaleSidKey", "picklist", {
      label: "Locale",
      length: 40,
      required: true,
      picklist: ["en_US", "en_GB", "fr_FR", "de_DE"],
      restricted: true,
    }),
    field("EmailEncodingKey", "picklist", {
      label: "Email Encoding",
      length: 40,
      required: true,
      picklist: ["UTF-8", "ISO-8859-1"],
      restricted: true,
    }),
    field("LanguageLocaleKey", "picklist", {
      label: "Language",
      length: 40,
      required: true,
      picklist: ["en_US", "fr", "de"],
      restricted: true,
    }),
    field("ProfileId", "reference", {
      label: "Profile ID",
      referenceTo: "Profile",
      relationshipName: "Profile",
      required: true,
    }),
    field("UserType", "picklist", {
      label: "User Type",
      length: 40,
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
      picklist: [{ value: "Standard", default: true }, "PowerPartner", "CsnOnly"],
    }),
    field("ManagerId", "reference", {
      label: "Manager ID",
      referenceTo: "User",
      relationshipName: "Manager",
    }),
    field("AccountId", "reference", {
      label: "Account ID",
      referenceTo: "Account",
      relationshipName: "Account",
      createable: false,
      updateable: false,
    }),
    field("ContactId", "reference", {
      label: "Contact ID",
      referenceTo: "Contact",
      relationshipName: "Contact",
    }),
    field("LastLoginDate", "datetime", { label: "Last Login", createable: false, updateable: false }),
    ...systemFields({ owner: false }).filter((f) => f.name !== "IsDeleted"),
  ],
  childRelationships: [["User", "ManagerId", "ManagedUsers", false, false]],
};

const ORGANIZATION: CompactObject = {
  name: "Organization",
  label: "Organization",
  labelPlural: "Organizations",
  keyPrefix: "00D",
  createable: false,
  deletable: false,
  undeletable: false,
  mergeable: false,
  searchable: false,
  layoutable: false,
  fields: [
    field("Id", "id", { label: "Organization ID" }),
    field("Name", "string", {
      label: "Name",
      length: 80,
      nameField: true,
      updateable: false,
      createable: false,
      nillable: false,
    }),
    field("Division", "string", { label: "Division", length: 80 }),
    field("Street", "textarea", { label: "Street", length: 255 }),
    field("City", "string", { label: "City", length: 40 }),
    field("State", "string", { label: "State/Province", length: 80 }),
    field("PostalCode", "string", { label: "Zip/Postal Code", length: 20 }),
    field("Country", "string", { label: "Country", length: 80 }),
    field("Latitude", "double", {
      label: "Latitude",
      precision: 18,
      scale: 15,
      compoundFieldName: "Address",
    }),
    field("Longitude", "double", {
      label: "Longitude",
      precision: 18,
      scale: 15,
      compoundFieldName: "Address",
    }),
    field("GeocodeAccuracy", "picklist", {
      label: "Geocode Accuracy",
      length: 40,
      compoundFieldName: "Address",
      picklist: [
        "Address",
        "NearAddress",
        "Block",
        "Street",
        "ExtendedZip",
        "Zip",
        "City",
        "County",
        "State",
        "Unknown",
      ],
      restricted: true,
    }),
    field("Address", "address", { label: "Address" }),
    field("Phone", "phone", { label: "Phone" }),
    field("Fax", "phone", { label: "Fax" }),
    field("PrimaryContact", "string", { label: "Primary Contact", length: 80 }),
    field("DefaultLocaleSidKey", "picklist", {
      label: "Locale",
      length: 40,
      picklist: ["en_US"],
      restricted: true,
      nillable: false,
    }),
    field("TimeZoneSidKey", "picklist", {
      label: "Time Zone",
      length: 40,
      picklist: ["America/Los_Angeles", "GMT"],
      restricted: true,
      nillable: false,
    }),
    field("LanguageLocaleKey", "picklist", {
      label: "Language",
      length: 40,
      picklist: ["en_US"],
      restricted: true,
      nillable: false,
    }),
    field("FiscalYearStartMonth", "int", {
      label: "Fiscal Year Starts In",
      digits: 9,
      createable: false,
      updateable: false,
    }),
    field("UiSkin", "picklist", { label: "UI Skin", length: 40, picklist: ["Theme3"], restricted: true }),
    field("OrganizationType", "picklist", {
      label: "Edition",
      length: 40,
      picklist: ["Developer Edition", "Enterprise Edition"],
      createable: false,
      updateable: false,
    }),
    field("NamespacePrefix", "string", {
      label: "Namespace Prefix",
      length: 15,
      createable: false,
      updateable: false,
    }),
    field("InstanceName", "string", {
      label: "Instance Name",
      length: 5,
      createable: false,
      updateable: false,
    }),
    field("IsSandbox", "boolean", { label: "Is Sandbox", createable: false, updateable: false }),
    field("IsReadOnly", "boolean", { label: "Is Read Only", createable: false, updateable: false }),
    field("TrialExpirationDate", "datetime", {
      label: "Trial Expiration Date",
      createable: false,
      updateable: false,
    }),
    ...systemFields({ owner: false }).filter((f) => f.name !== "IsDeleted"),
  ],
};

const APEX_CLASS: CompactObject = {
  name: "ApexClass",
  label: "Apex Class",
  labelPlural: "Apex Classes",
  keyPrefix: "01p",
  tooling: true,
  layoutable: false,
  fields: [
    field("Id", "id", { label: "Class ID" }),
    field("NamespacePrefix", "string", {
      label: "Namespace Prefix",
      length: 15,
      createable: false,
      updateable: false,
    }),
    field("Name", "string", { label: "Name", length: 255, required: true, nameField: true }),
    field("ApiVersion", "double", {
      label: "Api Version",
      precision: 18,
      scale: 1,
      nillable: false,
      defaultedOnCreate: true,
      defaultValue: 64,
    }),
    field("Status", "picklist", {
      label: "Status",
      length: 40,
      picklist: [{ value: "Active", default: true }, "Deleted", "Inactive"],
      restricted: true,
      defaultedOnCreate: true,
      nillable: false,
    }),
    field("IsValid", "boolean", { label: "Is Valid", defaultValue: true }),
    field("BodyCrc", "double", { label: "Body CRC", precision: 18, scale: 0 }),
    field("Body", "textarea", { label: "Body", length: 1000000, nillable: true }),
    field("LengthWithoutComments", "int", {
      label: "Size Without Comments",
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
      defaultValue: 0,
    }),
    ...systemFields({ owner: false }),
  ],
};

const APEX_TRIGGER: CompactObject = {
  name: "ApexTrigger",
  label: "Apex Trigger",
  labelPlural: "Apex Triggers",
  keyPrefix: "01q",
  tooling: true,
  layoutable: false,
  fields: [
    field("Id", "id", { label: "Trigger ID" }),
    field("NamespacePrefix", "string", {
      label: "Namespace Prefix",
      length: 15,
      createable: false,
      updateable: false,
    }),
    field("Name", "string", { label: "Name", length: 255, required: true, nameField: true }),
    field("TableEnumOrId", "string", { label: "Custom Object Definition ID", length: 40, required: true }),
    field("ApiVersion", "double", {
      label: "Api Version",
      precision: 18,
      scale: 1,
      defaultValue: 64,
      defaultedOnCreate: true,
    }),
    field("Status", "picklist", {
      label: "Status",
      length: 40,
      picklist: [{ value: "Active", default: true }, "Inactive", "Deleted"],
      restricted: true,
      defaultedOnCreate: true,
      nillable: false,
    }),
    field("Body", "textarea", { label: "Body", length: 1000000 }),
    ...systemFields({ owner: false }),
  ],
};

/** Field order of the recorded Organization record (CumulusCI shared cassette). */
const ORGANIZATION_ORDER = [
  "Id",
  "Name",
  "Division",
  "Street",
  "City",
  "State",
  "PostalCode",
  "Country",
  "Latitude",
  "Longitude",
  "GeocodeAccuracy",
  "Address",
  "Phone",
  "Fax",
  "PrimaryContact",
  "DefaultLocaleSidKey",
  "TimeZoneSidKey",
  "LanguageLocaleKey",
  "FiscalYearStartMonth",
  "SystemModstamp",
  "UiSkin",
  "TrialExpirationDate",
  "OrganizationType",
  "NamespacePrefix",
  "InstanceName",
  "IsSandbox",
  "IsReadOnly",
  "CreatedDate",
  "CreatedById",
  "LastModifiedDate",
  "LastModifiedById",
];
ORGANIZATION.fields.sort((a, b) => ORGANIZATION_ORDER.indexOf(a.name) - ORGANIZATION_ORDER.indexOf(b.name));

/** Returns fresh copies of the standard object definitions. */
export function standardObjects(): CompactObject[] {
  const recorded = structuredClone(RECORDED_OBJECTS);
  for (const o of recorded) {
    if (o.name === "Account" || o.name === "Contact") {
      const idx = o.fields.findIndex((f) => f.name === "CreatedDate");
      o.fields.splice(idx >= 0 ? idx : o.fields.length, 0, structuredClone(EXT_ID));
    }
  }
  return [
    ...recorded,
    structuredClone(USER),
    structuredClone(ORGANIZATION),
    structuredClone(APEX_CLASS),
    structuredClone(APEX_TRIGGER),
  ];
}

import type { FlagSpec } from "../../framework/command.js";

export const sobjectFlag = {
  type: "string",
  char: "s",
  placeholder: "sObject",
  required: true,
  summary: "The sObject's API name, e.g. Account or Property__c.",
} as const satisfies FlagSpec;
export const recordIdFlag: FlagSpec = {
  type: "string",
  char: "i",
  placeholder: "id",
  summary: "The record's id (or, with --external-id, its external id value).",
};
export const whereFlag: FlagSpec = {
  type: "string",
  char: "w",
  placeholder: "Field=value ...",
  summary: "Find the record by field values instead of its id (must match exactly one record).",
};
export const valuesFlag: FlagSpec = {
  type: "string",
  char: "v",
  placeholder: "Field=value ...",
  summary: "Field values: \"Name='Acme Inc' Phone=123 IsActive=true Fax=null\".",
};
export const jsonValuesFlag: FlagSpec = {
  type: "string",
  placeholder: "json|@file",
  summary: "Field values as a JSON object, or @file.json.",
};

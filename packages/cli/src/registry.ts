// The command table. Kept free of imports so that `sfkit --version` and `sfkit help`
// load nothing else; each command module is imported only when it runs.
import type { CommandDef, Flags } from "./framework/command.js";

export interface CommandEntry {
  id: string;
  summary: string;
  load: () => Promise<{ default: CommandDef<Flags> }>;
}

type Loader = () => Promise<{ default: CommandDef<any> }>;

const entry = (id: string, summary: string, load: Loader): CommandEntry => ({
  id,
  summary,
  load: load as CommandEntry["load"],
});

export const COMMANDS: CommandEntry[] = [
  entry(
    "org login soap",
    "Log in with username, password and security token (SOAP) and save the org.",
    () => import("./commands/org/login-soap.js"),
  ),
  entry(
    "org login oauth",
    "Log in through an OAuth connected app (password or client-credentials grant) and save the org.",
    () => import("./commands/org/login-oauth.js"),
  ),
  entry(
    "org login jwt",
    "Log in with the OAuth JWT bearer flow (connected app + private key) and save the org.",
    () => import("./commands/org/login-jwt.js"),
  ),
  entry(
    "org login session",
    "Save an org from an instance URL and an existing access token / session id.",
    () => import("./commands/org/login-session.js"),
  ),
  entry(
    "org list",
    "List the saved orgs and which one is the default.",
    () => import("./commands/org/list.js"),
  ),
  entry(
    "org display",
    "Show one org's details (the access token only with --verbose).",
    () => import("./commands/org/display.js"),
  ),
  entry(
    "org logout",
    "Forget a saved org (and end its session on the server).",
    () => import("./commands/org/logout.js"),
  ),
  entry(
    "org set-default",
    "Make a saved org the default target org.",
    () => import("./commands/org/set-default.js"),
  ),
  entry(
    "data query",
    "Run a SOQL query; print a table, CSV, JSON or NDJSON (streamed).",
    () => import("./commands/data/query.js"),
  ),
  entry("data search", "Run a SOSL search.", () => import("./commands/data/search.js")),
  entry(
    "data get record",
    "Get one record by id or by external id.",
    () => import("./commands/data/get-record.js"),
  ),
  entry("data create record", "Create one record.", () => import("./commands/data/create-record.js")),
  entry("data update record", "Update one record.", () => import("./commands/data/update-record.js")),
  entry(
    "data upsert record",
    "Insert or update one record by external id.",
    () => import("./commands/data/upsert-record.js"),
  ),
  entry("data delete record", "Delete one record.", () => import("./commands/data/delete-record.js")),
  entry(
    "data import bulk",
    "Insert records from a CSV file with the Bulk API.",
    () => import("./commands/data/import-bulk.js"),
  ),
  entry(
    "data update bulk",
    "Update records from a CSV file with the Bulk API.",
    () => import("./commands/data/update-bulk.js"),
  ),
  entry(
    "data upsert bulk",
    "Upsert records from a CSV file with the Bulk API.",
    () => import("./commands/data/upsert-bulk.js"),
  ),
  entry(
    "data delete bulk",
    "Delete the records whose ids a CSV file lists, with the Bulk API.",
    () => import("./commands/data/delete-bulk.js"),
  ),
  entry(
    "data export bulk",
    "Export a SOQL query's records to a CSV or JSON file with the Bulk API.",
    () => import("./commands/data/export-bulk.js"),
  ),
  entry(
    "data resume",
    "Check on a bulk job started earlier and fetch its results.",
    () => import("./commands/data/resume.js"),
  ),
  entry(
    "data tree import",
    "Import sObject tree files (with @references between them) following a plan.",
    () => import("./commands/data/tree-import.js"),
  ),
  entry("sobject list", "List the org's sObjects.", () => import("./commands/sobject/list.js")),
  entry(
    "sobject describe",
    "Describe an sObject: fields, types, relationships.",
    () => import("./commands/sobject/describe.js"),
  ),
  entry("limits", "Show the org's API limits and how much is used.", () => import("./commands/limits.js")),
  entry(
    "apex call",
    "Call an Apex REST endpoint (/services/apexrest/...).",
    () => import("./commands/apex/call.js"),
  ),
  entry(
    "types generate",
    "Generate TypeScript interfaces for sObjects from their describe.",
    () => import("./commands/types/generate.js"),
  ),
  entry(
    "emulator start",
    "Run a local Salesforce API emulator until Ctrl-C.",
    () => import("./commands/emulator/start.js"),
  ),
];

export const TOPIC_SUMMARIES: Record<string, string> = {
  org: "Log in to orgs and manage the saved ones.",
  data: "Query, search, and change records, one at a time or in bulk.",
  sobject: "List and describe sObjects.",
  limits: "Show API limits.",
  apex: "Call Apex REST endpoints.",
  types: "Generate TypeScript types from an org's schema.",
  emulator: "Run a local Salesforce API for tests and demos.",
};

/** Finds the command named by the leading words of argv (longest match wins). */
export function findCommand(words: string[]): { entry: CommandEntry; used: number } | undefined {
  for (let n = Math.min(3, words.length); n > 0; n--) {
    const id = words.slice(0, n).join(" ");
    const found = COMMANDS.find((c) => c.id === id);
    if (found) return { entry: found, used: n };
  }
  return undefined;
}

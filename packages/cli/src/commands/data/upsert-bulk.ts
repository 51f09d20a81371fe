import { defineCommand } from "../../framework/command.js";
import { bulkFlags, externalIdFlag, runIngest } from "./bulk-ingest.js";

export default defineCommand({
  summary: "Upsert records from a CSV file with the Bulk API.",
  description: "The CSV needs the --external-id column. Reporting as in `sfkit data import bulk`.",
  examples: [
    "sfkit data upsert bulk --sobject Account --file accounts.csv --external-id Ext_Id__c",
    "sfkit data upsert bulk -s Contact -f contacts.csv -e Id --api 1",
  ],
  flags: { ...bulkFlags, "external-id": externalIdFlag },
  usesOrg: true,
  run: (ctx) => runIngest(ctx, "upsert"),
});

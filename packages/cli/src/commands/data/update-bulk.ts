import { defineCommand } from "../../framework/command.js";
import { bulkFlags, runIngest } from "./bulk-ingest.js";

export default defineCommand({
  summary: "Update records from a CSV file with the Bulk API.",
  description:
    "The CSV needs an Id column. Reporting as in `sfkit data import bulk` (exit code 1 when any row failed).",
  examples: [
    "sfkit data update bulk --sobject Account --file accounts.csv",
    "sfkit data update bulk -s Contact -f fixes.csv --wait 5 --json",
  ],
  flags: bulkFlags,
  usesOrg: true,
  run: (ctx) => runIngest(ctx, "update"),
});

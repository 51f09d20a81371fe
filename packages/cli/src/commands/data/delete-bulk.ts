import { defineCommand } from "../../framework/command.js";
import { bulkFlags, runIngest } from "./bulk-ingest.js";

export default defineCommand({
  summary: "Delete the records whose ids a CSV file lists, with the Bulk API.",
  description:
    "The CSV needs an Id column. --hard-delete skips the recycle bin (needs the Bulk API Hard Delete permission).",
  examples: [
    "sfkit data delete bulk --sobject Account --file ids.csv",
    "sfkit data delete bulk -s Lead -f old-leads.csv --hard-delete --json",
  ],
  flags: {
    ...bulkFlags,
    "hard-delete": { type: "boolean", summary: "Delete permanently (no recycle bin)." },
  },
  usesOrg: true,
  run: (ctx) => runIngest(ctx, ctx.flags["hard-delete"] ? "hardDelete" : "delete"),
});

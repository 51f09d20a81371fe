import { defineCommand } from "../../framework/command.js";
import { bulkFlags, runIngest } from "./bulk-ingest.js";

export default defineCommand({
  summary: "Insert records from a CSV file with the Bulk API.",
  description: `Checks the whole file first (header, field counts; errors name the line, and nothing
is sent), then runs the job, showing progress on a terminal. Result files
<jobId>-success-records.csv and <jobId>-failed-records.csv are written. Exit code 1 when
any row failed; --json lists the failed rows with their sf__Error. In the CSV, an empty
cell leaves a field empty and #N/A sets it to null.`,
  examples: [
    "sfkit data import bulk --sobject Contact --file contacts.csv",
    "sfkit data import bulk -s Account -f accounts.csv --wait 30 --results-dir results/",
    "sfkit data import bulk -s Account -f accounts.csv --api 1 --json",
  ],
  flags: bulkFlags,
  usesOrg: true,
  run: (ctx) => runIngest(ctx, "insert"),
});

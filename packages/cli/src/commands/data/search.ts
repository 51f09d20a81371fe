import { defineCommand } from "../../framework/command.js";
import { RecordsWriter } from "../../format/records-writer.js";
import { statementFrom } from "./shared.js";

export default defineCommand({
  summary: "Run a SOSL search.",
  description:
    "Prints the found records (their type is in the first column). --json gives { searchRecords }.",
  examples: [
    'sfkit data search "FIND {Acme} IN NAME FIELDS RETURNING Account(Id, Name), Contact(Id, Name)"',
    'sfkit data search --query "FIND {jones} RETURNING Contact(Id, Email)" -r csv',
  ],
  args: [{ name: "sosl", summary: "The SOSL statement (or use --query / --file)." }],
  flags: {
    query: { type: "string", char: "q", placeholder: "sosl", summary: "The SOSL statement." },
    file: { type: "string", char: "f", placeholder: "file", summary: "A file holding the SOSL statement." },
  },
  usesOrg: true,
  resultFormats: ["human", "csv", "json", "ndjson"],
  async run(ctx) {
    const sosl = await statementFrom(ctx, "SOSL", ctx.flags);
    const { client } = await ctx.org();
    const result = await client.search(sosl);
    const records = (result?.searchRecords ?? []) as Record<string, unknown>[];
    if (ctx.json) return { searchRecords: records };
    const rows = records.map((r) => ({
      type: (r.attributes as { type?: string } | undefined)?.type ?? "",
      ...r,
    }));
    const writer = new RecordsWriter(ctx.out, ctx.format, undefined);
    await writer.start(rows.length);
    await writer.page(rows);
    await writer.finish(ctx.out.warnings);
    return { searchRecords: records };
  },
});

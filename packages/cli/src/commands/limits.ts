import { defineCommand } from "../framework/command.js";
import { csvLine } from "../format/csv.js";
import { renderTable } from "../format/table.js";

export default defineCommand({
  summary: "Show the org's API limits and how much is used.",
  examples: [
    "sfkit limits",
    "sfkit limits --json | jq '.result[] | select(.name==\"DailyApiRequests\")'",
    "sfkit limits -r csv",
  ],
  flags: {},
  usesOrg: true,
  resultFormats: ["human", "csv", "json"],
  async run(ctx) {
    const { client } = await ctx.org();
    const limits = (await client.limits()) as Record<string, { Max: number; Remaining: number }>;
    const rows = Object.entries(limits).map(([name, value]) => ({
      name,
      max: value.Max,
      remaining: value.Remaining,
      used: value.Max - value.Remaining,
    }));
    const columns = ["name", "max", "remaining", "used"];
    if (ctx.format === "csv")
      await ctx.out.print(
        csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c as keyof typeof r]))).join(""),
      );
    else if (!ctx.json) await ctx.out.print(renderTable(columns, rows));
    return rows;
  },
});

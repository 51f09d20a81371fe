import { defineCommand } from "../../framework/command.js";
import { csvLine } from "../../format/csv.js";
import { renderTable } from "../../format/table.js";

export default defineCommand({
  summary: "List the org's sObjects.",
  examples: [
    "sfkit sobject list",
    "sfkit sobject list --category custom",
    "sfkit sobject list -r csv > objects.csv",
  ],
  flags: {
    category: {
      type: "string",
      char: "c",
      options: ["all", "custom", "standard"],
      default: "all",
      placeholder: "all|custom|standard",
      summary: "Which sObjects.",
    },
  },
  usesOrg: true,
  resultFormats: ["human", "csv", "json"],
  async run(ctx) {
    const { client } = await ctx.org();
    const global = await client.describe();
    const wanted = ctx.flags.category;
    const sobjects = global.sobjects
      .filter((s) => wanted === "all" || (wanted === "custom" ? s.custom : !s.custom))
      .map((s) => ({
        name: s.name,
        label: s.label,
        keyPrefix: s.keyPrefix ?? null,
        custom: s.custom,
        queryable: s.queryable ?? null,
      }));
    if (ctx.format === "csv") {
      const columns = ["name", "label", "keyPrefix", "custom", "queryable"];
      await ctx.out.print(
        csvLine(columns) + sobjects.map((s) => csvLine(columns.map((c) => s[c as keyof typeof s]))).join(""),
      );
    } else if (!ctx.json) {
      await ctx.out.print(renderTable(["name", "label", "keyPrefix", "custom"], sobjects));
    }
    return sobjects;
  },
});

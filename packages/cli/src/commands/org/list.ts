import { publicView } from "../../config/store.js";
import { defineCommand } from "../../framework/command.js";
import { renderTable } from "../../format/table.js";

export default defineCommand({
  summary: "List the saved orgs and which one is the default.",
  examples: ["sfkit org list", "sfkit org list --json"],
  flags: {},
  async run(ctx) {
    const config = await ctx.config.read();
    const orgs = Object.values(config.orgs).map((entry) =>
      publicView(entry, entry.alias === config.defaultOrg),
    );
    if (!ctx.json) {
      if (orgs.length === 0) {
        await ctx.out.print(
          "No org is saved. Log in: sfkit org login soap --alias dev --username me@example.com\n",
        );
      } else {
        const rows = orgs.map((o) => ({ ...o, default: o.isDefault ? "(default)" : "" }));
        await ctx.out.print(
          renderTable(["default", "alias", "username", "instanceUrl", "authMethod", "savedAt"], rows),
        );
      }
    }
    return { defaultOrg: config.defaultOrg ?? null, orgs };
  },
});

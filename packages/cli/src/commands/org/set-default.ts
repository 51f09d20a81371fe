import { defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";

export default defineCommand({
  summary: "Make a saved org the default target org.",
  examples: ["sfkit org set-default uat"],
  flags: {},
  args: [{ name: "alias", summary: "The alias or username of a saved org.", required: true }],
  async run(ctx) {
    const entry = await ctx.config.find(ctx.args[0]!);
    if (!entry) throw new UsageError(`No saved org is called "${ctx.args[0]}" (see sfkit org list).`);
    await ctx.config.setDefault(entry.alias);
    if (!ctx.json) await ctx.out.print(`"${entry.alias}" is now the default org.\n`);
    return { defaultOrg: entry.alias };
  },
});

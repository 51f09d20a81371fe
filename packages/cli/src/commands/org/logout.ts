import { defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";

export default defineCommand({
  summary: "Forget a saved org (and end its session on the server).",
  description: "Removes the org from the config file. With --revoke, ends the session at Salesforce first.",
  examples: ["sfkit org logout -o uat", "sfkit org logout -o uat --revoke"],
  flags: {
    revoke: { type: "boolean", summary: "Also end the session on the server (SOAP logout / OAuth revoke)." },
  },
  usesOrg: true,
  async run(ctx) {
    const alias = ctx.targetOrg;
    if (!alias) throw new UsageError("Say which org to forget: sfkit org logout --target-org <alias>.");
    const entry = await ctx.config.find(alias);
    if (!entry) throw new UsageError(`No saved org is called "${alias}" (see sfkit org list).`);
    if (ctx.flags.revoke) {
      const connection = await ctx.org();
      try {
        await connection.client.request({
          method: "POST",
          path: `${entry.instanceUrl.replace(/\/+$/, "")}/services/oauth2/revoke`,
          body: new URLSearchParams({ token: entry.accessToken }),
          auth: "none",
        });
      } catch (error) {
        ctx.out.warn(
          `The server did not revoke the session (${(error as Error).message}); it is forgotten here anyway.`,
        );
      }
    }
    await ctx.config.remove(entry.alias);
    if (!ctx.json) await ctx.out.print(`Logged out of "${entry.alias}"; it is no longer saved.\n`);
    return { alias: entry.alias, username: entry.username ?? null, revoked: Boolean(ctx.flags.revoke) };
  },
});

import { DEFAULT_API_VERSION } from "@sfkit/core";
import { publicView } from "../../config/store.js";
import { defineCommand } from "../../framework/command.js";
import { AuthRequiredError } from "../../framework/errors.js";
import { renderKeyValue } from "../../format/table.js";
import { orgRows } from "./org-rows.js";

export default defineCommand({
  summary: "Show one org's details (the access token only with --verbose).",
  description: `Shows a saved org without its secrets. --verbose adds the access token (as sf's
--verbose does): anyone who sees it can act as you until it expires.`,
  examples: [
    "sfkit org display",
    "sfkit org display -o uat --json",
    "# The token, for a curl call",
    "sfkit org display -o uat --verbose --json | jq -r .result.accessToken",
  ],
  flags: {
    verbose: { type: "boolean", summary: "Also show the access token (a secret)." },
  },
  usesOrg: true,
  async run(ctx) {
    const config = await ctx.config.read();
    const wanted = ctx.targetOrg ?? ctx.io.env.SF_TARGET_ORG ?? config.defaultOrg;
    const entry = wanted ? await ctx.config.find(wanted) : undefined;
    if (!entry) {
      throw new AuthRequiredError(
        wanted ? `No saved org is called "${wanted}".` : "No org given and no default org is set.",
        {
          code: "ERR_NO_SUCH_ORG",
          actions: ["See the saved orgs: sfkit org list"],
        },
      );
    }
    const view: Record<string, unknown> = publicView(entry, entry.alias === config.defaultOrg);
    if (ctx.flags.verbose) {
      view.accessToken = entry.accessToken;
      ctx.out.warn("This output holds an access token: do not share it or commit it.");
      if (!ctx.json) {
        await ctx.out.print(
          renderKeyValue({ ...orgRows(view, DEFAULT_API_VERSION), accessToken: "(below)" }),
        );
        await ctx.io.stdout.write(`accessToken  ${entry.accessToken}\n`);
        return view;
      }
      await ctx.io.stdout.write(
        `${JSON.stringify({ status: 0, result: view, warnings: ctx.out.warnings }, null, 2)}\n`,
      );
      const { STREAMED } = await import("../../framework/command.js");
      return STREAMED;
    }
    if (!ctx.json) await ctx.out.print(renderKeyValue(orgRows(view, DEFAULT_API_VERSION)));
    return view;
  },
});

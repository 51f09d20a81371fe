import { defineCommand } from "../../framework/command.js";
import { CliError } from "../../framework/errors.js";
import { jsonValuesFlag, sobjectFlag, valuesFlag } from "./record-flags.js";
import { checkSobject } from "./record-shared.js";
import { recordValues } from "./values.js";

export default defineCommand({
  summary: "Create one record.",
  examples: [
    "sfkit data create record --sobject Account --values \"Name='Acme Inc' NumberOfEmployees=250\"",
    'sfkit data create record -s Contact --json-values \'{"LastName":"Smith","Email":"s@example.com"}\'',
    "sfkit data create record -s Contact --json-values @contact.json --json",
  ],
  flags: { sobject: sobjectFlag, values: valuesFlag, "json-values": jsonValuesFlag },
  usesOrg: true,
  async run(ctx) {
    const sobject = checkSobject(ctx.flags.sobject);
    const data = await recordValues(ctx, ctx.flags);
    const { client } = await ctx.org();
    const result = await client.sobject(sobject).create(data);
    if (!result.success)
      throw new CliError(
        `Creating the ${sobject} record failed: ${result.errors.map((e) => e.message).join("; ")}`,
        { data: result },
      );
    if (!ctx.json) await ctx.out.print(`Created ${sobject} record ${result.id}.\n`);
    return result;
  },
});

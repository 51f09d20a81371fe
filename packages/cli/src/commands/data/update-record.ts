import { defineCommand } from "../../framework/command.js";
import { jsonValuesFlag, recordIdFlag, sobjectFlag, valuesFlag, whereFlag } from "./record-flags.js";
import { checkSobject, targetRecordId } from "./record-shared.js";
import { recordValues } from "./values.js";

export default defineCommand({
  summary: "Update one record.",
  examples: [
    "sfkit data update record --sobject Account --record-id 001XX0000000001AAA --values \"Phone='555-0100'\"",
    "sfkit data update record -s Contact --where \"Email='ann@example.com'\" --values \"Title='CTO'\"",
  ],
  flags: {
    sobject: sobjectFlag,
    "record-id": recordIdFlag,
    where: whereFlag,
    values: valuesFlag,
    "json-values": jsonValuesFlag,
  },
  usesOrg: true,
  async run(ctx) {
    const sobject = checkSobject(ctx.flags.sobject);
    const data = await recordValues(ctx, ctx.flags);
    const { client } = await ctx.org();
    const id = await targetRecordId(client, sobject, ctx.flags);
    await client.sobject(sobject).update(id, data);
    if (!ctx.json) await ctx.out.print(`Updated ${sobject} record ${id}.\n`);
    return { id, success: true };
  },
});

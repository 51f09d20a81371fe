import { defineCommand } from "../../framework/command.js";
import { recordIdFlag, sobjectFlag, whereFlag } from "./record-flags.js";
import { checkSobject, targetRecordId } from "./record-shared.js";

export default defineCommand({
  summary: "Delete one record.",
  examples: [
    "sfkit data delete record --sobject Account --record-id 001XX0000000001AAA",
    "sfkit data delete record -s Contact --where \"Email='old@example.com'\"",
  ],
  flags: { sobject: sobjectFlag, "record-id": recordIdFlag, where: whereFlag },
  usesOrg: true,
  async run(ctx) {
    const sobject = checkSobject(ctx.flags.sobject);
    const { client } = await ctx.org();
    const id = await targetRecordId(client, sobject, ctx.flags);
    await client.sobject(sobject).delete(id);
    if (!ctx.json) await ctx.out.print(`Deleted ${sobject} record ${id}.\n`);
    return { id, success: true };
  },
});

import { defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import { columnsOf, valueAt } from "../../format/flatten.js";
import { renderKeyValue } from "../../format/table.js";
import { recordIdFlag, sobjectFlag, whereFlag } from "./record-flags.js";
import { checkSobject, targetRecordId } from "./record-shared.js";

export default defineCommand({
  summary: "Get one record by id, by external id, or by field values.",
  examples: [
    "sfkit data get record --sobject Account --record-id 001XX0000000001AAA",
    "sfkit data get record -s Contact --where \"Email='ann@example.com'\" --fields Id,Name,Account.Name",
    "sfkit data get record -s Account --external-id Ext_Id__c --record-id A-42 --json",
  ],
  flags: {
    sobject: sobjectFlag,
    "record-id": recordIdFlag,
    where: whereFlag,
    "external-id": {
      type: "string",
      char: "e",
      placeholder: "field",
      summary: "Read --record-id as a value of this external id field.",
    },
    fields: { type: "string", placeholder: "A,B,C", summary: "Only these fields (comma-separated)." },
  },
  usesOrg: true,
  async run(ctx) {
    const sobject = checkSobject(ctx.flags.sobject);
    const { client } = await ctx.org();
    const fields = ctx.flags.fields
      ?.split(",")
      .map((f) => f.trim())
      .filter(Boolean);
    let record: Record<string, unknown>;
    if (ctx.flags["external-id"]) {
      if (!ctx.flags["record-id"]) throw new UsageError("--external-id needs --record-id <value>.");
      record = await client.sobject(sobject).getByCustomId(ctx.flags["external-id"], ctx.flags["record-id"]);
    } else {
      const id = await targetRecordId(client, sobject, ctx.flags);
      record = await client.sobject(sobject).get(id, fields ? { fields } : {});
    }
    if (!ctx.json) {
      const flat: Record<string, unknown> = {};
      for (const column of columnsOf(record)) flat[column] = valueAt(record, column);
      await ctx.out.print(renderKeyValue(flat));
    }
    return record;
  },
});

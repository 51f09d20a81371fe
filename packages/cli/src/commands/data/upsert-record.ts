import { defineCommand } from "../../framework/command.js";
import { jsonValuesFlag, sobjectFlag, valuesFlag } from "./record-flags.js";
import { checkSobject } from "./record-shared.js";
import { recordValues } from "./values.js";

export default defineCommand({
  summary: "Insert or update one record by external id.",
  description: "The external id value is sent encoded exactly once (a value with / or spaces works).",
  examples: [
    "sfkit data upsert record --sobject Account --external-id Ext_Id__c --record-id A-42 --values \"Name='Acme'\"",
    'sfkit data upsert record -s Account -e Ext_Url__c -i http://example.com/id/7 --json-values \'{"Name":"Acme"}\'',
  ],
  flags: {
    sobject: sobjectFlag,
    "external-id": {
      type: "string",
      char: "e",
      placeholder: "field",
      required: true,
      summary: "The external id field.",
    },
    "record-id": {
      type: "string",
      char: "i",
      placeholder: "value",
      required: true,
      summary: "The external id value.",
    },
    values: valuesFlag,
    "json-values": jsonValuesFlag,
  },
  usesOrg: true,
  async run(ctx) {
    const sobject = checkSobject(ctx.flags.sobject);
    const data = await recordValues(ctx, ctx.flags);
    const { client } = await ctx.org();
    const result = await client
      .sobject(sobject)
      .upsertResult([ctx.flags["external-id"], ctx.flags["record-id"]], data);
    if (!ctx.json)
      await ctx.out.print(
        `${result.created ? "Created" : "Updated"} ${sobject} record${result.id ? ` ${result.id}` : ""}.\n`,
      );
    return result;
  },
});

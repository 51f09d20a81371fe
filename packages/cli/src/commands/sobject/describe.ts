import { defineCommand } from "../../framework/command.js";
import { csvLine } from "../../format/csv.js";
import { renderKeyValue, renderTable } from "../../format/table.js";
import { checkSobject } from "../data/record-shared.js";

export default defineCommand({
  summary: "Describe an sObject: fields, types, relationships.",
  description:
    "Human output shows the object and a table of its fields; --json gives Salesforce's full describe.",
  examples: [
    "sfkit sobject describe Account",
    "sfkit sobject describe Property__c --json | jq '.result.fields[].name'",
    "sfkit sobject describe Contact -r csv",
  ],
  args: [{ name: "sobject", summary: "The sObject's API name.", required: true }],
  flags: {},
  usesOrg: true,
  resultFormats: ["human", "csv", "json"],
  async run(ctx) {
    const name = checkSobject(ctx.args[0]!);
    const { client } = await ctx.org();
    const describe = await client.sobject(name).describe();
    const fields = describe.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      length: f.length ?? null,
      nillable: f.nillable ?? null,
      reference: f.referenceTo?.length
        ? `${f.referenceTo.join("|")}${f.relationshipName ? ` (${f.relationshipName})` : ""}`
        : "",
      picklist: f.picklistValues?.length
        ? f.picklistValues
            .filter((p) => p.active)
            .map((p) => p.value)
            .join(";")
        : "",
    }));
    const columns = ["name", "label", "type", "length", "nillable", "reference", "picklist"];
    if (ctx.format === "csv") {
      await ctx.out.print(
        csvLine(columns) + fields.map((f) => csvLine(columns.map((c) => f[c as keyof typeof f]))).join(""),
      );
    } else if (!ctx.json) {
      await ctx.out.print(
        renderKeyValue({
          name: describe.name,
          label: describe.label,
          keyPrefix: describe.keyPrefix,
          custom: describe.custom,
          fields: describe.fields.length,
          childRelationships: describe.childRelationships?.length ?? 0,
        }),
      );
      await ctx.out.print(`\n${renderTable(columns, fields)}`);
    }
    return describe;
  },
});

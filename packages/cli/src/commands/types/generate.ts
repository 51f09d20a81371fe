import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import { type DescribeForTypes, generateTypes } from "../../typegen/generate.js";
import { checkSobject } from "../data/record-shared.js";

export default defineCommand({
  summary: "Generate TypeScript interfaces for sObjects from their describe.",
  description: `Describes each sObject and writes one interface per object: every field with its
TypeScript type (nillable fields are \`| null\`, picklists are unions of their values,
dates are ISO strings), parent relationships typed with the other generated interfaces,
and child relationships as ChildRecords<T>. Use them with the generic sObject API:
  const contacts = sf.sobject<Contact>("Contact");`,
  examples: [
    "sfkit types generate Account Contact Opportunity --out src/sobjects.ts",
    "sfkit types generate Property__c Broker__c -o dreamhouse > src/dreamhouse.ts",
  ],
  args: [{ name: "sobject", summary: "sObject API names.", required: true, variadic: true }],
  flags: {
    out: { type: "string", placeholder: "file.ts", summary: "Write to this file (default: stdout)." },
  },
  usesOrg: true,
  async run(ctx) {
    const names = [...new Set(ctx.args.map(checkSobject))];
    if (!names.length)
      throw new UsageError("Name at least one sObject: sfkit types generate Account Contact.");
    const connection = await ctx.org();
    const describes: DescribeForTypes[] = [];
    for (const name of names)
      describes.push((await connection.client.sobject(name).describe()) as DescribeForTypes);
    const source = `from ${connection.alias} (API ${connection.client.apiVersion})`;
    const text = generateTypes(describes, { source });
    const fields = describes.reduce((n, d) => n + d.fields.length, 0);
    if (ctx.flags.out) {
      const path = resolve(ctx.io.cwd, ctx.flags.out);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      if (!ctx.json)
        await ctx.out.print(
          `Wrote ${describes.length} interface${describes.length === 1 ? "" : "s"} (${fields} fields) to ${path}.\n`,
        );
      return { file: path, sobjects: describes.map((d) => d.name), fields };
    }
    if (!ctx.json) await ctx.out.print(text);
    return { file: null, sobjects: describes.map((d) => d.name), fields, source: text };
  },
});

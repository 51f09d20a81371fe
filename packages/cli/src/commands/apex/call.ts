import { defineCommand } from "../../framework/command.js";
import { parseJsonText } from "../data/values.js";
import { readInputFile } from "../../format/input-file.js";

export default defineCommand({
  summary: "Call an Apex REST endpoint (/services/apexrest/...).",
  description: `Sends the request to /services/apexrest/<path>. --data takes JSON text or @file
(a .json file is sent as JSON; other files as text with --content-type). A GET or
DELETE without --data sends no body. The response is printed as JSON (or as text
when it is not JSON).`,
  examples: [
    "sfkit apex call Account/001XX0000000001AAA",
    'sfkit apex call User/Activity --method POST --data \'{"userId":"005XX"}\'',
    "sfkit apex call Orders --method PUT --data @order.json --json",
    "sfkit apex call xmlin --method POST --data @in.xml --content-type application/xml",
  ],
  args: [{ name: "path", summary: "The path after /services/apexrest/ (e.g. Account/123).", required: true }],
  flags: {
    method: {
      type: "string",
      char: "X",
      options: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      default: "GET",
      placeholder: "GET|POST|PUT|PATCH|DELETE",
      summary: "HTTP method.",
    },
    data: {
      type: "string",
      char: "d",
      placeholder: "json|@file",
      summary: "Request body: JSON text or @file.",
    },
    "content-type": {
      type: "string",
      placeholder: "type",
      summary: "Content-Type of --data (default application/json).",
    },
  },
  usesOrg: true,
  async run(ctx) {
    const method = ctx.flags.method.toUpperCase() as "GET";
    let body: unknown;
    const contentType = ctx.flags["content-type"];
    const isJson = !contentType || /json/i.test(contentType);
    if (ctx.flags.data !== undefined) {
      let text = ctx.flags.data;
      let source = "--data";
      if (text.startsWith("@")) {
        source = text.slice(1);
        text = await readInputFile(ctx.io.cwd, source, "--data @file");
      }
      // JSON is checked here (for a clear error with its position), then sent as the text
      // given: re-serialising a parsed string would drop its quotes.
      if (isJson) parseJsonText(text, source);
      body = text;
    }
    const { client } = await ctx.org();
    const path = ctx.args[0]!.replace(/^\/?(services\/apexrest\/)?/, "");
    const result = await client.apexecute(path, {
      method,
      ...(body !== undefined ? { data: body as never } : {}),
      ...(body !== undefined ? { headers: { "Content-Type": contentType ?? "application/json" } } : {}),
    });
    if (!ctx.json) {
      await ctx.out.print(
        typeof result === "string" ? `${result}\n` : `${JSON.stringify(result, null, 2)}\n`,
      );
    }
    return result ?? null;
  },
});

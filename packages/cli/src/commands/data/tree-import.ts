import { dirname, resolve } from "node:path";
import { defineCommand } from "../../framework/command.js";
import { CliError, UsageError } from "../../framework/errors.js";
import { renderTable } from "../../format/table.js";
import { parseJsonText } from "./values.js";
import { readInputFile } from "../../format/input-file.js";

interface PlanEntry {
  sobject?: string;
  saveRefs?: boolean;
  resolveRefs?: boolean;
  files: string[];
}

type Rec = Record<string, unknown> & { attributes?: { type?: string; referenceId?: string } };

interface LoadedFile {
  file: string;
  shown: string;
  sobject: string;
  records: Rec[];
  saveRefs: boolean;
  resolveRefs: boolean;
}

const TREE_LIMIT = 200;

function countTree(record: Rec): number {
  let n = 1;
  for (const [key, value] of Object.entries(record)) {
    if (key === "attributes" || !value || typeof value !== "object") continue;
    const records = (value as { records?: unknown }).records;
    if (Array.isArray(records)) for (const child of records) n += countTree(child as Rec);
  }
  return n;
}

function collectRefs(record: Rec, out: Array<{ ref: string; type: string }>): void {
  if (record.attributes?.referenceId)
    out.push({ ref: record.attributes.referenceId, type: record.attributes.type ?? "" });
  for (const [key, value] of Object.entries(record)) {
    if (key === "attributes" || !value || typeof value !== "object") continue;
    const records = (value as { records?: unknown }).records;
    if (Array.isArray(records)) for (const child of records) collectRefs(child as Rec, out);
  }
}

/** Replaces "@Ref" values with saved ids; returns the references it could not resolve. */
function resolveRefsIn(record: Rec, ids: Map<string, string>, missing: string[]): Rec {
  const out: Rec = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "string" && value.startsWith("@") && key !== "attributes") {
      const id = ids.get(value.slice(1));
      if (id) out[key] = id;
      else {
        missing.push(`${key}: ${value}`);
        out[key] = value;
      }
    } else if (
      value &&
      typeof value === "object" &&
      Array.isArray((value as { records?: unknown }).records)
    ) {
      out[key] = {
        records: (value as { records: Rec[] }).records.map((c) => resolveRefsIn(c, ids, missing)),
      };
    } else out[key] = value;
  }
  return out;
}

export default defineCommand({
  summary: "Import sObject tree files (with @references between them) following a plan.",
  description: `Reads a plan (a JSON array of { sobject, saveRefs, resolveRefs, files }) or a list of
--files, checks every file first (JSON errors name the line; every @reference must point
to a record of an earlier file), then saves the records with the sObject Tree API, 200
at a time. Each request is all-or-nothing; if a later one fails, the command says which
records were already saved (they stay saved) and exits 1.`,
  examples: [
    "sfkit data tree import --plan data/sample-data-plan.json",
    "sfkit data tree import --files data/accounts.json data/contacts.json --json",
  ],
  flags: {
    plan: { type: "string", char: "p", placeholder: "plan.json", summary: "The import plan." },
    files: {
      type: "string",
      char: "f",
      placeholder: "file.json",
      multiple: true,
      summary: "Tree files to import in this order (instead of --plan).",
    },
  },
  args: [{ name: "file", summary: "More tree files (with --files).", variadic: true }],
  usesOrg: true,
  async run(ctx) {
    const { plan, files } = ctx.flags;
    const extra = ctx.args;
    if (plan && (files.length || extra.length)) throw new UsageError("Give --plan or --files, not both.");
    let entries: PlanEntry[];
    let base = ctx.io.cwd;
    if (plan) {
      const planPath = resolve(ctx.io.cwd, plan);
      const text = await readInputFile(ctx.io.cwd, plan, "--plan");
      const parsed = parseJsonText(text, plan);
      if (!Array.isArray(parsed))
        throw new UsageError(`${plan} must hold a JSON array of { sobject, files, saveRefs, resolveRefs }.`);
      entries = parsed.map((entry, i) => {
        const e = entry as PlanEntry;
        if (
          !e ||
          typeof e !== "object" ||
          !Array.isArray(e.files) ||
          !e.files.every((f) => typeof f === "string")
        )
          throw new UsageError(`${plan}: entry ${i + 1} needs "files": an array of file names.`);
        return e;
      });
      base = dirname(planPath);
    } else {
      const list = [...files, ...extra];
      if (!list.length) throw new UsageError("Give --plan <plan.json> or --files <file.json>...");
      entries = list.map((f) => ({ files: [f], saveRefs: true, resolveRefs: true }));
    }

    // 1. Read and check everything before sending anything.
    const loaded: LoadedFile[] = [];
    const defined = new Map<string, string>();
    for (const entry of entries) {
      for (const name of entry.files) {
        const path = resolve(base, name);
        const text = await readInputFile(
          base,
          name,
          plan ? `--plan ${plan}` : "--files",
          "Nothing was imported.",
        );
        const data = parseJsonText(text, name) as { records?: unknown };
        if (!data || !Array.isArray(data.records) || data.records.length === 0)
          throw new UsageError(
            `${name} must hold { "records": [ ... ] } with at least one record. Nothing was imported.`,
          );
        const records = data.records as Rec[];
        const types = new Set(records.map((r) => r.attributes?.type ?? entry.sobject));
        const sobject = entry.sobject ?? records[0]?.attributes?.type;
        if (!sobject)
          throw new UsageError(
            `${name}: records need attributes.type (or the plan entry an "sobject"). Nothing was imported.`,
          );
        for (const type of types) {
          if (type && type.toLowerCase() !== sobject.toLowerCase())
            throw new UsageError(
              `${name}: holds ${type} records, but its plan entry is for ${sobject}. Nothing was imported.`,
            );
        }
        const refs: Array<{ ref: string; type: string }> = [];
        records.forEach((record, i) => {
          if (!record || typeof record !== "object" || Array.isArray(record))
            throw new UsageError(`${name}: record ${i + 1} is not an object. Nothing was imported.`);
          collectRefs(record, refs);
        });
        const resolveRefs = entry.resolveRefs ?? true;
        // Check references against what earlier files define.
        const missing: string[] = [];
        for (const record of records)
          resolveRefsIn(record, new Map([...defined].map(([k]) => [k, "x"])), missing);
        if (missing.length && resolveRefs) {
          throw new UsageError(
            `${name}: ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ` and ${missing.length - 3} more` : ""} refer to records that no earlier file in the plan defines (with saveRefs). Nothing was imported.`,
            { code: "ERR_UNRESOLVED_REFERENCE" },
          );
        }
        for (const { ref } of refs) {
          if (defined.has(ref))
            throw new UsageError(`${name}: referenceId ${ref} is used twice. Nothing was imported.`);
          if (entry.saveRefs ?? true) defined.set(ref, name);
        }
        loaded.push({
          file: path,
          shown: name,
          sobject,
          records,
          saveRefs: entry.saveRefs ?? true,
          resolveRefs,
        });
      }
    }

    // 2. Send, 200 records per tree request, resolving references as ids come back.
    const { client } = await ctx.org();
    const ids = new Map<string, string>();
    const saved: Array<{ refId: string; type: string; id: string; file: string }> = [];
    const bar = ctx.out.progress("Importing");
    const total = loaded.reduce((n, f) => n + f.records.reduce((m, r) => m + countTree(r), 0), 0);
    for (const file of loaded) {
      const batches: Rec[][] = [[]];
      let size = 0;
      for (const record of file.records) {
        const n = countTree(record);
        if (size + n > TREE_LIMIT && batches.at(-1)!.length) {
          batches.push([]);
          size = 0;
        }
        batches.at(-1)!.push(record);
        size += n;
      }
      for (const batch of batches) {
        const missing: string[] = [];
        const records = batch.map((r) => (file.resolveRefs ? resolveRefsIn(r, ids, missing) : r));
        const typeOf = new Map<string, string>();
        for (const record of records) {
          const refs: Array<{ ref: string; type: string }> = [];
          collectRefs(record, refs);
          for (const r of refs) typeOf.set(r.ref, r.type || file.sobject);
        }
        let result: Awaited<ReturnType<typeof client.composite.tree>>;
        try {
          result = await client.composite.tree(file.sobject, records as never);
        } catch (error) {
          bar.stop();
          throw failed(error instanceof Error ? error.message : String(error), saved, file.shown, [], error);
        }
        if (result.hasErrors) {
          bar.stop();
          const errors = result.results
            .filter((r) => r.errors?.length)
            .map((r) => ({ referenceId: r.referenceId, errors: r.errors }));
          const first = errors[0];
          throw failed(
            `${file.shown}: Salesforce refused the records${first ? ` (${first.referenceId}: ${first.errors!.map((e) => `${e.statusCode ?? e.errorCode}: ${e.message}`).join("; ")})` : ""}`,
            saved,
            file.shown,
            errors,
          );
        }
        for (const r of result.results) {
          if (!r.id) continue;
          ids.set(r.referenceId, r.id);
          saved.push({
            refId: r.referenceId,
            type: typeOf.get(r.referenceId) ?? file.sobject,
            id: r.id,
            file: file.shown,
          });
        }
        bar.update(saved.length, total);
      }
    }
    bar.stop();
    if (!ctx.json) {
      await ctx.out.print(renderTable(["refId", "type", "id"], saved));
      await ctx.out.print(
        `Imported ${saved.length} records from ${loaded.length} file${loaded.length === 1 ? "" : "s"}.\n`,
      );
    }
    return saved;
  },
});

function failed(
  message: string,
  saved: Array<{ refId: string; type: string; id: string; file: string }>,
  file: string,
  errors: unknown[],
  cause?: unknown,
): CliError {
  const note = saved.length
    ? ` ${saved.length} records from earlier requests were saved and stay saved (listed in --json under data.saved).`
    : " Nothing was saved.";
  return new CliError(`${message}.${note}`, {
    code: "ERR_TREE_IMPORT_FAILED",
    data: { file, saved, errors },
    ...(cause ? { cause } : {}),
  });
}

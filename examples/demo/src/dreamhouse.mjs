// Loads the DreamHouse sample data the way its import plan says (data/sample-data-plan.json):
// each step's files are sObject Tree JSON; a step with saveRefs keeps the referenceId → id map,
// and a step with resolveRefs replaces "@RefName" values with the saved ids before loading.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The import plan, with each step's records read from its files. */
export async function readPlan(dataDir) {
  const plan = JSON.parse(await readFile(join(dataDir, "sample-data-plan.json"), "utf8"));
  const steps = [];
  for (const step of plan) {
    const records = [];
    for (const file of step.files) {
      const content = JSON.parse(await readFile(join(dataDir, file), "utf8"));
      records.push(...content.records);
    }
    steps.push({
      sobject: step.sobject,
      saveRefs: step.saveRefs === true,
      resolveRefs: step.resolveRefs === true,
      records,
    });
  }
  return steps;
}

/** Replaces "@Ref" field values with the ids saved by earlier steps. */
export function resolveReferences(records, refs) {
  return records.map((record) => {
    const copy = {};
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === "string" && value.startsWith("@")) {
        const id = refs.get(value.slice(1));
        if (!id) throw new Error(`The sample data refers to ${value}, which no earlier step saved.`);
        copy[key] = id;
      } else {
        copy[key] = value;
      }
    }
    return copy;
  });
}

/**
 * Loads every step with sObject Tree requests (`POST composite/tree/<sobject>`, up to 200
 * records a request), in plan order. Returns one row per step for the report.
 */
export async function loadPlan(sf, steps, { onStep } = {}) {
  const refs = new Map();
  const report = [];
  for (const step of steps) {
    const started = performance.now();
    const records = step.resolveRefs ? resolveReferences(step.records, refs) : step.records;
    let loaded = 0;
    let requests = 0;
    for (let i = 0; i < records.length; i += 200) {
      const result = await sf.composite.tree(step.sobject, records.slice(i, i + 200));
      requests += 1;
      if (result.hasErrors) {
        const first = result.results.find((r) => r.errors?.length)?.errors?.[0];
        throw new Error(
          `Loading ${step.sobject} failed: ${first ? `${first.statusCode ?? first.errorCode}: ${first.message}` : "see the tree result"}`,
        );
      }
      for (const entry of result.results) {
        if (step.saveRefs && entry.id) refs.set(entry.referenceId, entry.id);
        if (entry.id) loaded += 1;
      }
    }
    const row = {
      object: step.sobject,
      records: loaded,
      requests,
      refs: step.saveRefs ? "saved" : step.resolveRefs ? "resolved" : "",
      ms: Math.round(performance.now() - started),
    };
    report.push(row);
    onStep?.(row);
  }
  return { report, refs };
}

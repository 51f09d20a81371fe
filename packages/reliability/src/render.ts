import { type Cell, describeExpectation, FAULTS, MATRIX, OPERATIONS, testName } from "./matrix.js";

export interface Defect {
  where: string;
  what: string;
  test: string;
}

/** RELIABILITY.md, written from the matrix (and the lists passed in). */
export function renderReliability(sections: { defects: readonly Defect[]; other: string }): string {
  const out: string[] = [];
  out.push("# Reliability and security");
  out.push("");
  out.push(
    "Generated from `packages/reliability/src/matrix.ts` and `src/reliability-doc.ts` by",
    "`SFKIT_WRITE_RELIABILITY=1 pnpm exec vitest run packages/reliability/test/table.test.ts`;",
    "`table.test.ts` fails when this file is stale. Every row is one test in",
    "`packages/reliability/test/matrix-*.test.ts` (named `operation × fault`), run against",
    "`@sfkit/emulator` over loopback HTTP with its fault injection (`org.faults.next(rule)`),",
    "once on the default transport (node-fetch) and once on `@sfkit/transport-undici`",
    "(`matrix-undici.test.ts`), which hands out its connections itself.",
  );
  out.push("");
  out.push("## Rules every cell checks");
  out.push("");
  out.push(
    "- idempotent requests (GET, PUT, DELETE, PATCH marked idempotent) are retried within `retry.limit` (2 here);",
    "- a POST is never replayed: the emulator's store holds exactly the records the `records` column says;",
    "- an expired session is refreshed once (one new login, counted at the login endpoint);",
    "- otherwise a typed error from `@sfkit/core` (class and code checked), with a message;",
    "- bulk: successful + failed + unprocessed = input rows on success; on failure every job the",
    "  emulator created is on the error (`jobId`/`jobs`); never more records than good rows;",
    "- no unhandled rejection during the cell; the client and emulator are closed after it, and",
    "  `test/exit.test.ts` runs faulted calls in a child process that must exit by itself.",
  );
  out.push("");
  out.push("## Faults");
  out.push("");
  out.push("| fault | how the emulator produces it |", "|---|---|");
  for (const f of FAULTS) out.push(`| ${f.label} | ${f.how} |`);
  out.push("");
  out.push("## Operations");
  out.push("");
  out.push("| operation | request the fault hits | idempotent |", "|---|---|---|");
  for (const o of OPERATIONS) out.push(`| ${o.label} | \`${o.request}\` | ${o.idempotent ? "yes" : "no"} |`);
  out.push("");
  out.push("## Fault matrix");
  out.push("");
  out.push(`${MATRIX.length} cells.`, "");
  out.push("| operation | fault | behaviour | test |", "|---|---|---|---|");
  for (const cell of MATRIX as Cell[]) {
    const op = OPERATIONS.find((o) => o.id === cell.operation)!;
    const f = FAULTS.find((x) => x.id === cell.fault)!;
    out.push(`| ${op.label} | ${f.label} | ${describeExpectation(cell.expect)} | \`${testName(cell)}\` |`);
  }
  out.push("");
  out.push("## Defects found and fixed");
  out.push("");
  out.push("| where | defect | test |", "|---|---|---|");
  for (const d of sections.defects) out.push(`| ${d.where} | ${d.what} | \`${d.test}\` |`);
  out.push("");
  out.push(sections.other.trim());
  out.push("");
  return out.join("\n");
}

// RELIABILITY.md is generated from the matrix the tests run; this test fails when it is stale.
// Regenerate: SFKIT_WRITE_RELIABILITY=1 pnpm exec vitest run packages/reliability/test/table.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FAULTS, MATRIX, OPERATIONS, renderReliability, testName } from "../src/index.js";
import { DEFECTS, OTHER } from "../src/reliability-doc.js";
import { OPERATION_IMPLS } from "./support/operations.js";

const file = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "RELIABILITY.md");

describe("RELIABILITY.md", () => {
  it("is up to date with the matrix the tests run", () => {
    const expected = renderReliability({ defects: DEFECTS, other: OTHER });
    if (process.env.SFKIT_WRITE_RELIABILITY === "1") writeFileSync(file, expected);
    expect(readFileSync(file, "utf8")).toBe(expected);
  });

  it("covers every operation × fault of the issue, each cell with a unique test name and an implementation", () => {
    for (const op of OPERATIONS) {
      expect(OPERATION_IMPLS[op.id], op.id).toBeDefined();
      for (const fault of FAULTS) {
        if (fault.id === "300-upsert") continue;
        expect(
          MATRIX.some((c) => c.operation === op.id && c.fault === fault.id),
          `${op.id} × ${fault.id}`,
        ).toBe(true);
      }
    }
    expect(MATRIX.some((c) => c.operation === "crud-upsert" && c.fault === "300-upsert")).toBe(true);
    expect(new Set(MATRIX.map(testName)).size).toBe(MATRIX.length);
  });
});

import { afterAll, beforeAll, describe, it } from "vitest";
import { type FaultId, MATRIX, testName } from "../../src/matrix.js";
import type { SalesforceOptions } from "@sfkit/salesforce";
import { type Env, startEnv } from "./env.js";
import { runCell } from "./run-cell.js";

/**
 * Registers one test per matrix cell of these faults (the cells come from src/matrix.ts),
 * with the clients' options given (the default transport unless told otherwise).
 */
export function matrixSuite(faults: FaultId[], clientDefaults: Partial<SalesforceOptions> = {}): void {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv({}, clientDefaults);
  });
  afterAll(async () => {
    await env?.close();
  });
  for (const faultId of faults) {
    describe(faultId, () => {
      for (const cell of MATRIX.filter((c) => c.fault === faultId)) {
        it(testName(cell), async () => {
          await runCell(env, cell);
        });
      }
    });
  }
}

// Load: 10,000 creates with bounded concurrency (10 in flight), every result accounted for,
// heap growth bounded, and the same client carrying on across an emulator restart.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SalesforceError } from "@sfkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Env, startEnv } from "./support/env.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const TOTAL = 10_000;
const CONCURRENCY = 10;
const RESTART_AT = 6_000;

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.close();
});

describe("10,000 creates", () => {
  it("all accounted for with 10 in flight, heap flat, across an emulator restart", async () => {
    const sf = env.client({ timeout: 20_000, retry: { limit: 6, backoff: 100, maxBackoff: 400 } });
    await sf.login();
    const outcomes: Array<{ id: string } | { error: SalesforceError }> = new Array(TOTAL);
    let next = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let restarted: Promise<void> | undefined;
    const samples: Record<string, number> = {};
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        if (i === 2_000) samples.start = heap();
        if (i === RESTART_AT) {
          // Stop the org (records saved) and start a new one on the same port, while the
          // other workers keep sending: their calls meet a closed port and are retried.
          restarted = env.stop().then(() => env.start());
        }
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          const result = await sf.Contact.create({ LastName: `Load${i}` });
          outcomes[i] = { id: result.id! };
        } catch (error) {
          if (!(error instanceof SalesforceError)) throw error;
          outcomes[i] = { error };
        } finally {
          inFlight--;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await restarted;
    samples.end = heap();

    expect(maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
    expect(outcomes.filter(Boolean)).toHaveLength(TOTAL);
    const ids = outcomes.flatMap((o) => ("id" in o ? [o.id] : []));
    const errors = outcomes.flatMap((o) => ("error" in o ? [o.error] : []));
    // Only a create whose answer was lost in the restart may fail, and it says so.
    for (const e of errors) expect(e.name).toBe("SalesforceConnectionError");
    expect(errors.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(new Set(ids).size).toBe(ids.length);
    const stored = env.org.query("SELECT COUNT() FROM Contact WHERE LastName LIKE 'Load%'").totalSize;
    // Every success is in the store; nothing was written twice (a lost answer may have landed once).
    expect(stored).toBeGreaterThanOrEqual(ids.length);
    expect(stored).toBeLessThanOrEqual(TOTAL);
    for (const id of ids.slice(-50)) expect(env.org.store.get(id)).toBeDefined();
    // Loose: 8,000 results and the emulator's 8,000 new records must stay well under 100 MB.
    expect(samples.end! - samples.start!).toBeLessThan(100 * 1024 * 1024);
    // The same client works after the restart.
    expect((await sf.Contact.create({ LastName: "AfterLoad" })).success).toBe(true);
  }, 110_000);
});

// Bulk API 1.0 and 2.0 for the emulator: `bulkRoutes` registers the endpoints, `bulkOf(org)`
// gives tests the jobs and the processing pace (pause/resume, options).
import type { Org } from "../org.js";
import type { Router } from "../router.js";
import { Pace, type ResolvedBulkOptions, resolveBulkOptions } from "./bulk-http.js";
import { BulkV1 } from "./bulk-v1.js";
import { BulkV2 } from "./bulk-v2.js";

export type { BulkEmulatorOptions } from "./bulk-http.js";

/** The bulk state of one emulated org. */
export interface BulkControl {
  /** Processing pace; change it at any time (e.g. `tickDelayMs` for slow jobs). */
  readonly options: ResolvedBulkOptions;
  /** Stops processing (jobs stay UploadComplete/InProgress/Queued) until resume(). */
  pause(): void;
  resume(): void;
  /** Bulk 2.0 jobs (ingest and query) by id. */
  readonly v2: BulkV2;
  /** Bulk 1.0 jobs by id. */
  readonly v1: BulkV1;
  /** Stops background work (called when the org closes). */
  close(): void;
}

const KEY = "bulk";

/** The org's bulk state, created on first use with the org's `bulk` options. */
export function bulkOf(org: Org): BulkControl {
  let control = org.extensions.get(KEY) as BulkControl | undefined;
  if (!control) {
    const options = resolveBulkOptions(org.options.bulk);
    const pace = new Pace(options);
    control = {
      options,
      pause: () => {
        pace.paused = true;
      },
      resume: () => {
        pace.paused = false;
      },
      v2: new BulkV2(org, pace),
      v1: new BulkV1(org, pace),
      close: () => {
        pace.closed = true;
      },
    };
    org.extensions.set(KEY, control);
  }
  return control;
}

/** Registers Bulk API 1.0 (`/services/async/NN.0/job…`) and 2.0 (`/services/data/vNN.0/jobs/…`). */
export function bulkRoutes(router: Router): void {
  BulkV2.register(router, (org) => bulkOf(org).v2);
  BulkV1.register(router, (org) => bulkOf(org).v1);
}

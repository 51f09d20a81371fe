// Optional persistence: records, id counter, recycle bin and API usage in one JSON file.
import { readFile, rename, writeFile } from "node:fs/promises";
import type { Org } from "./org.js";
import type { StoredRecord } from "./store.js";

interface PersistedState {
  format: "sfkit-emulator/1";
  savedAt: string;
  organizationId: string;
  idCounter: number;
  apiCalls: number;
  records: Record<string, StoredRecord[]>;
  deleted: [string, number][];
}

export async function savePersisted(org: Org, path: string): Promise<void> {
  const state: PersistedState = {
    format: "sfkit-emulator/1",
    savedAt: new Date(org.now()).toISOString(),
    organizationId: org.organizationId,
    idCounter: org.store.ids.counter,
    apiCalls: org.apiCalls,
    records: org.store.dump(),
    deleted: [...org.store.deletedAt.entries()],
  };
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(state));
  await rename(tmp, path);
}

export async function loadPersisted(org: Org, path: string): Promise<void> {
  const state = JSON.parse(await readFile(path, "utf8")) as PersistedState;
  if (state.format !== "sfkit-emulator/1") {
    throw new Error(`${path} is not an sfkit emulator data file (format ${String(state.format)})`);
  }
  const deleted = new Map(state.deleted ?? []);
  for (const [type, rows] of Object.entries(state.records ?? {})) {
    if (!org.schema.get(type)) continue;
    for (const r of rows) org.store.load(type, r, deleted.get(r.Id));
  }
  org.store.ids.counter = Math.max(org.store.ids.counter, state.idCounter ?? 0);
  org.apiCalls = state.apiCalls ?? 0;
}

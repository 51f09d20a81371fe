// startEmulator(): builds the org, loads persisted data, seeds, and starts listening.
import { existsSync } from "node:fs";
import { Org, type EmulatorOptions } from "./org.js";

/**
 * Starts a local Salesforce API on loopback. `await org.close()` when done.
 *
 * ```ts
 * const org = await startEmulator({ port: 0 });
 * const { username, password, securityToken } = org.users[0];
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Org> {
  const org = new Org(options);
  if (options.persist && existsSync(options.persist)) {
    const { loadPersisted } = await import("./persist.js");
    await loadPersisted(org, options.persist);
  }
  await org.seedUsers();
  if (!(options.persist && existsSync(options.persist))) {
    if (options.seed === "demo") {
      const { seedDemo } = await import("./seed.js");
      seedDemo(org);
    } else if (typeof options.seed === "function") await options.seed(org);
  }
  await org.listen();
  return org;
}

export type Emulator = Org;

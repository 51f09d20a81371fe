import type { Client } from "@sfkit/core";
import { type Bulk, createBulk1 } from "./bulk1.js";
import { type Bulk2, createBulk2 } from "./bulk2.js";
import { checkBulkOptions, OPTION_NAMES } from "./option-names.js";
import type { PollOptions } from "./types.js";

/** Plugin-wide defaults; every call can override them. */
export interface BulkPluginOptions extends PollOptions {
  /** Bulk 2.0: largest upload per job in bytes before the input is split. @default 100000000 */
  maxBytesPerJob?: number;
}

export interface BulkKeys {
  /** Bulk API 1.0: `sf.bulk.Contact.insert(records)`. */
  readonly bulk: Bulk;
  /** Bulk API 2.0: `sf.bulk2.Contact.insert({ records })`, `for await (const row of sf.bulk2.Account.query(soql))`. */
  readonly bulk2: Bulk2;
}

/**
 * The bulk plugin: `createClient(...).extend(bulk())` adds `sf.bulk` (Bulk API 1.0) and
 * `sf.bulk2` (Bulk API 2.0).
 */
export function bulk(options: BulkPluginOptions = {}) {
  checkBulkOptions(options, OPTION_NAMES.plugin, "bulk()");
  const plugin = (client: Client): BulkKeys => ({
    bulk: createBulk1(client, options),
    bulk2: createBulk2(client, options),
  });
  return Object.assign(plugin, { pluginName: "bulk" as const });
}

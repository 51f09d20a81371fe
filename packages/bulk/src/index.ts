export { bulk, type BulkKeys, type BulkPluginOptions } from "./plugin.js";
export type { Bulk, BulkJobs, BulkObject, Bulk1Operation } from "./bulk1.js";
export type { Bulk2, Bulk2Jobs, Bulk2Object, Bulk2Operation } from "./bulk2.js";
export { BulkJobError, BulkPollingTimeoutError } from "./errors.js";
export { formatCell, parseErrorCell, unionColumns } from "./csv.js";
export type * from "./types.js";

import { checkOptionNames } from "@sfkit/core";

// The option names of every public Bulk call, so that a misspelt one (`extIdField`,
// `lineEndings`) is a ConfigurationError naming the option meant, not silently ignored.

const POLL = ["pollInterval", "maxPollInterval", "pollTimeout", "onProgress", "signal"];
const BULK2_JOB = [
  ...POLL,
  "columnDelimiter",
  "lineEnding",
  "assignmentRuleId",
  "maxBytesPerJob",
  "maxRowsPerJob",
  "results",
];

export const OPTION_NAMES = {
  plugin: [...POLL, "maxBytesPerJob"],
  bulk2Ingest: [...BULK2_JOB, "externalIdField", "records", "csv", "file", "stream"],
  bulk2Resume: BULK2_JOB,
  bulk2Query: [...POLL, "maxRecords", "columnDelimiter", "lineEnding"],
  bulk1Dml: [...POLL, "batchSize", "useSerial", "contentType", "assignmentRuleId"],
  bulk1Query: [...POLL, "contentType", "pkChunking"],
  bulk1Resume: POLL,
} as const satisfies Record<string, readonly string[]>;

/** Names people reach for that are too far from sfkit's to be caught as typos. */
const RENAMED: Record<string, string> = {
  externalIdFieldName: "externalIdField",
  extIdField: "externalIdField",
  extId: "externalIdField",
  externalId: "externalIdField",
  lineEnd: "lineEnding",
  eol: "lineEnding",
  delimiter: "columnDelimiter",
  concurrencyMode: "useSerial",
  serial: "useSerial",
  timeout: "pollTimeout",
  chunkSize: "pkChunking",
};

/** Throws a ConfigurationError when `options` holds a misspelling of one of `known`. */
export function checkBulkOptions(options: unknown, known: readonly string[], where: string): void {
  if (!options || typeof options !== "object") return;
  const renamed: Record<string, string> = {};
  for (const [from, to] of Object.entries(RENAMED)) if (known.includes(to)) renamed[from] = to;
  checkOptionNames(options, known, where, renamed);
}

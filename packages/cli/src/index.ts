export { main, runFromProcess } from "./main.js";
export type { CliIo, TextSink } from "./framework/io.js";
export { ExitCode, exitCodeFor, CliError, UsageError, AuthRequiredError } from "./framework/errors.js";
export { ConfigStore, configDir, type OrgEntry, type ConfigFile, type AuthMethod } from "./config/store.js";
export { generateTypes, type DescribeForTypes, type GenerateTypesOptions } from "./typegen/generate.js";

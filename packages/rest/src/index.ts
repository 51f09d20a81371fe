export {
  rest,
  type RestApi,
  type RestfulOptions,
  type SObjects,
  type StandardSObjectName,
} from "./rest-plugin.js";
export type { RestOptions } from "./context.js";
export { type SObjectApi, type ExternalIdPath, type RecordInput, externalIdPath } from "./sobject.js";
export type { QueryOptions, QueryAllOptions, QueryMoreOptions } from "./query.js";
export {
  type CompositeApi,
  type CollectionOptions,
  type BatchSubrequest,
  type BatchResult,
  type CompositeSubrequest,
  type CompositeSubresponse,
  type CompositeResult,
  type TreeResult,
  COLLECTION_CHUNK,
  COMPOSITE_LIMIT,
} from "./composite.js";
export {
  soql,
  formatSoql,
  formatExternalId,
  escapeSoqlString,
  escapeSoqlLike,
  soqlLiteral,
  soqlRaw,
  soqlDate,
  soqlDateTime,
  soqlLike,
  toSoqlDate,
  toSoqlDateTime,
  encodePathSegment,
  SoqlLiteral,
  type SoqlValue,
} from "./soql.js";
export { escapeSosl, buildQuickSearch, SOSL_RESERVED, type QuickSearchOptions } from "./sosl.js";
export { toReplicationDate } from "./dates.js";
export type * from "./types.js";
export { VERSION } from "./version.js";

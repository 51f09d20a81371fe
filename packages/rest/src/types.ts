/** `attributes` of a record as Salesforce returns it. */
export interface RecordAttributes {
  type: string;
  url?: string;
  [key: string]: unknown;
}

/** A record: `attributes` plus fields. Narrow it with your own interface: `sobject<Contact>("Contact")`. */
export interface SObjectRecord {
  attributes?: RecordAttributes;
  Id?: string;
  [field: string]: unknown;
}

/** Options every call takes. */
export interface CallOptions {
  /** Extra request headers (e.g. `Sforce-Auto-Assign`, `Sforce-Duplicate-Rule-Header`). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Per-attempt time-out in ms. */
  timeout?: number;
}

/** One error of a write result. Top-level REST errors use `errorCode`, collections `statusCode`. */
export interface SaveError {
  statusCode?: string;
  errorCode?: string;
  message: string;
  fields?: string[];
  [key: string]: unknown;
}

/** The result of a create (`POST sobjects/T`) and of each collections item. */
export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: SaveError[];
  /** Upserts only: whether the record was created (v46.0+). */
  created?: boolean;
  warnings?: unknown[];
}

/** What `upsertResult` gives: the HTTP status and the body when there was one. */
export interface UpsertResult {
  status: number;
  /** True for 201; false for 200/204. */
  created: boolean;
  id?: string;
  success: boolean;
  errors: SaveError[];
}

/** A page of query results. */
export interface QueryResult<T = SObjectRecord> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** What `queryAll` gives: every record (or up to `maxRecords`). */
export interface QueryAllResult<T = SObjectRecord> extends QueryResult<T> {
  /**
   * Set when `maxRecords` stopped the fetching before the end. `records` then holds exactly
   * `maxRecords` records, `totalSize` is the server's count of all matches, `remainder`
   * holds the records of the last fetched page beyond the limit, and `nextRecordsUrl` the
   * page after it (if any): nothing fetched is lost, and `queryMore(nextRecordsUrl)` resumes.
   */
  truncated?: boolean;
  remainder?: T[];
}

/** The Tooling API query envelope. */
export interface ToolingQueryResult<T = SObjectRecord> extends QueryResult<T> {
  size?: number;
  queryLocator?: string | null;
  entityTypeName?: string | null;
}

/** `search` result, always in the v36.0+ shape. */
export interface SearchResult<T = SObjectRecord> {
  searchRecords: T[];
  [key: string]: unknown;
}

/** `sobjects/T/deleted` result. */
export interface DeletedResult {
  deletedRecords: Array<{ id: string; deletedDate: string }>;
  earliestDateAvailable: string;
  latestDateCovered: string;
}

/** `sobjects/T/updated` result. */
export interface UpdatedResult {
  ids: string[];
  latestDateCovered: string;
}

/** One field of a describe. Only the common keys are typed; everything is kept. */
export interface DescribeField {
  name: string;
  label: string;
  type: string;
  soapType?: string;
  length?: number;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  referenceTo?: string[];
  relationshipName?: string | null;
  picklistValues?: Array<{ active: boolean; defaultValue: boolean; label: string; value: string }>;
  [key: string]: unknown;
}

/** `sobjects/T/describe`. */
export interface DescribeSObjectResult {
  name: string;
  label: string;
  labelPlural?: string;
  keyPrefix: string | null;
  custom: boolean;
  fields: DescribeField[];
  childRelationships?: Array<{
    childSObject: string;
    field: string;
    relationshipName: string | null;
    [key: string]: unknown;
  }>;
  recordTypeInfos?: Array<{ recordTypeId: string; name: string; master: boolean; [key: string]: unknown }>;
  urls: Record<string, string>;
  [key: string]: unknown;
}

/** One entry of the global describe. */
export interface DescribeGlobalSObject {
  name: string;
  label: string;
  keyPrefix: string | null;
  custom: boolean;
  queryable?: boolean;
  urls: Record<string, string>;
  [key: string]: unknown;
}

/** `GET sobjects` (global describe). */
export interface DescribeGlobalResult {
  encoding: string;
  maxBatchSize: number;
  sobjects: DescribeGlobalSObject[];
}

/** `GET sobjects/T` (basic information). */
export interface SObjectMetadata {
  objectDescribe: DescribeGlobalSObject;
  recentItems: SObjectRecord[];
}

/** `GET limits`: `{ DailyApiRequests: { Max, Remaining }, ... }`. */
export type LimitsResult = Record<string, { Max: number; Remaining: number; [app: string]: unknown }>;

export { startEmulator, type Emulator } from "./emulator.js";
export {
  Org,
  DEFAULT_CONNECTED_APP,
  type EmulatorOptions,
  type EmulatorStats,
  type QueryCursor,
} from "./org.js";
export type { ConnectedApp, EmulatedUser, Session, UserOptions, RefreshToken } from "./auth/sessions.js";
export { SessionManager } from "./auth/sessions.js";
export { FaultInjector, MAINTENANCE_HTML, type FaultRule } from "./faults.js";
export { Router, type Handler, type Route, type RouteModule, type RouteOptions } from "./router.js";
export { RequestContext, JSON_TYPE, XML_TYPE } from "./context.js";
export {
  HttpError,
  restError,
  notFoundError,
  DmlException,
  dmlError,
  dmlToRest,
  type DmlError,
  type RestErrorItem,
} from "./errors.js";
export {
  RecordStore,
  MultipleMatchesError,
  toDmlResult,
  type StoredRecord,
  type DmlResult,
  type WriteOptions,
} from "./store.js";
export { Schema, type CustomObjectSpec, type CustomFieldSpec } from "./schema/schema.js";
export type { FieldDef, ObjectDef, FieldType, ChildRelationship } from "./schema/types.js";
export { loadSourceProject } from "./schema/source-format.js";
export { EmulatorOptionError } from "./option-error.js";
export {
  executeSoql,
  type QueryResult,
  type SoqlOptions,
  type RenderOptions,
  type SoqlContext,
} from "./soql/engine.js";
export { SoqlError } from "./soql/errors.js";
export { renderFullRecord, renderValue, recordUrl } from "./soql/render.js";
export {
  createApex,
  type ApexRegistry,
  type ApexHandler,
  type ApexRequest,
  type ApexResponse,
} from "./apex/index.js";
export { toJson, JsonDouble, formatDouble } from "./json.js";
export { formatDateTime, formatDate, parseDateTime, parseDate } from "./dates.js";
export { idChecksum, to18, isValidId, normalizeId, IdGenerator } from "./ids.js";
export { parseXml, escapeXml, type XmlElement } from "./xml.js";
export { LOCALHOST_CERT, DEFAULT_APP_CERT, DEFAULT_APP_PRIVATE_KEY } from "./test-certificates.js";
export { bulkOf, type BulkControl, type BulkEmulatorOptions } from "./bulk/index.js";

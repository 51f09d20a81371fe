export { createClient } from "./client.js";
export type { ClientOptions } from "./client-options.js";
export type { ClientBase } from "./client-base.js";
export type { Client, Plugin, PluginKeys } from "./plugin.js";
export { checkOptionNames } from "./option-names.js";
export {
  type AuthContext,
  type AuthRequest,
  type AuthStrategy,
  type Session,
  createSession,
  sessionAuth,
} from "./auth.js";
export { DEFAULT_API_VERSION, normalizeApiVersion } from "./api-version.js";
export { normalizeInstanceUrl, instanceHost } from "./instance-url.js";
export {
  resolveLoginUrl,
  isGenericLoginHost,
  isSandboxLoginHost,
  type LoginUrlOptions,
} from "./login-url.js";
export { parseLimitInfo } from "./api-usage.js";
export { buildUrl, encodeQuery } from "./build-url.js";
export { createHookCollection, type HookCollection } from "./hooks.js";
export type { RetryOptions } from "./retry.js";
export { nodeFetchTransport } from "./transport/node-fetch.js";
export { fetchTransport, type FetchLike } from "./transport/fetch.js";
export { bypassesProxy, proxySelector, type ProxyOption } from "./transport/proxy.js";
export { escapeXml, unescapeXml, parseXml, xmlText, type XmlNode } from "./xml.js";
export { readBytes, decodeStream } from "./body.js";
export { redactUrl, redactHeaders, redactSecrets, REDACTED } from "./redact.js";
export {
  SalesforceError,
  SalesforceMoreThanOneRecord,
  SalesforceMalformedRequest,
  SalesforceExpiredSession,
  SalesforceRefusedRequest,
  SalesforceResourceNotFound,
  SalesforceGeneralError,
  SalesforceAuthenticationFailed,
  SalesforceMalformedResponse,
  type SalesforceErrorDetails,
} from "./errors/salesforce-error.js";
export {
  SalesforceConnectionError,
  SalesforceTimeoutError,
  SalesforceAbortError,
  throwIfAborted,
} from "./errors/network-errors.js";
export { ConfigurationError } from "./errors/configuration-error.js";
export { fileReadError, type FileErrorSource } from "./errors/file-error.js";
export {
  errorFromResponse,
  readErrorBody,
  isSessionExpiry,
  refreshCanHelp,
  htmlToText,
} from "./errors/error-from-response.js";
export type {
  ApiUsage,
  AuthMode,
  HttpMethod,
  Logger,
  PreparedRequest,
  RequestBody,
  RequestOptions,
  ResponseType,
  SalesforceResponse,
  Transport,
  TransportFactory,
  TransportRequest,
  TransportResponse,
  TransportSettings,
} from "./types.js";
export type { StandardSObjectName } from "./standard-objects.js";
export { VERSION } from "./version.js";

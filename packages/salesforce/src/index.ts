export {
  Salesforce,
  type SalesforceConstructor,
  type SalesforceMembers,
  type PresetKeys,
  type SObjectSchema,
  type SObjectSugar,
  type OAuth2CallOptions,
} from "./salesforce.js";
export type { SalesforceOptions, AuthType, Proxies } from "./options.js";
export { selectAuth, type SelectedAuth } from "./select-auth.js";
export { SFType, type SFTypeOptions, type SFTypeConstructor } from "./sftype.js";
export { salesforceLogin, type SalesforceLoginOptions, type SalesforceLoginResult } from "@sfkit/auth-soap";
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
  SalesforceConnectionError,
  SalesforceTimeoutError,
  SalesforceAbortError,
  ConfigurationError,
} from "@sfkit/core";
export {
  soql,
  soqlLike,
  soqlLiteral,
  soqlRaw,
  soqlDate,
  soqlDateTime,
  formatSoql,
  formatExternalId,
} from "@sfkit/rest";
export { BulkJobError, BulkPollingTimeoutError } from "@sfkit/bulk";

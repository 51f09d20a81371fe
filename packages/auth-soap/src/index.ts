export {
  soapLogin,
  loginVersion,
  MAX_SOAP_LOGIN_VERSION,
  CLIENT_TAG,
  type SoapLoginOptions,
  type SoapLoginStrategy,
} from "./soap-login.js";
export {
  salesforceLogin,
  type SalesforceLoginOptions,
  type SalesforceLoginResult,
  type SalesforceLoginTransport,
} from "./salesforce-login.js";
export { resolveLoginUrl, type LoginUrlOptions } from "@sfkit/core";
export { loginEnvelope, logoutEnvelope } from "./soap-envelope.js";
export type { SoapUserInfo } from "./soap-response.js";

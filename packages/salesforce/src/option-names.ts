import { checkOptionNames } from "@sfkit/core";

/** Every option of `new Salesforce(...)` (SalesforceOptions), in its one spelling. */
export const OPTION_NAMES = [
  "username",
  "password",
  "securityToken",
  "organizationId",
  "portalId",
  "domain",
  "loginUrl",
  "sandbox",
  "clientId",
  "sessionId",
  "accessToken",
  "instanceUrl",
  "instance",
  "consumerKey",
  "consumerSecret",
  "privateKey",
  "privateKeyFile",
  "privateKeyPassphrase",
  "refreshToken",
  "onRefreshToken",
  "auth",
  "version",
  "apiVersion",
  "proxies",
  "proxy",
  "ca",
  "fetch",
  "transport",
  "timeout",
  "totalTimeout",
  "retry",
  "logger",
  "headers",
  "rest",
  "bulk",
  "apex",
] as const;

/** simple-salesforce keyword arguments whose sfkit name is not just their camelCase. */
const RENAMED: Record<string, string> = { privatekey_file: "privateKeyFile", sf_version: "version" };

/**
 * An option spelt as simple-salesforce spells it (`security_token`), in the wrong case
 * (`securitytoken`) or mistyped would otherwise be ignored, and the login would fail for
 * a reason that does not point at the typo (LOGIN_MUST_USE_SECURITY_TOKEN).
 */
export function checkSalesforceOptionNames(options: object): void {
  checkOptionNames(options, OPTION_NAMES, "new Salesforce()", RENAMED);
}

import { ConfigurationError } from "@sfkit/core";

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

const squash = (name: string) => name.replace(/[_-]/g, "").toLowerCase();
const BY_SQUASHED = new Map<string, string>(OPTION_NAMES.map((name) => [squash(name), name]));
/** simple-salesforce keyword arguments whose sfkit name is not just their camelCase. */
const RENAMED: Record<string, string> = { privatekey_file: "privateKeyFile", sf_version: "version" };

/**
 * An option spelt as simple-salesforce spells it (`security_token`) or in the wrong case
 * (`securitytoken`) would otherwise be ignored, and the login would fail for a reason that
 * does not point at the typo (LOGIN_MUST_USE_SECURITY_TOKEN). Other unknown keys are left
 * alone. The value is never shown.
 */
export function checkOptionNames(options: object): void {
  for (const key of Object.keys(options)) {
    if ((OPTION_NAMES as readonly string[]).includes(key)) continue;
    const meant = RENAMED[key] ?? BY_SQUASHED.get(squash(key));
    if (meant !== undefined) {
      throw new ConfigurationError(
        `new Salesforce() has no option ${key}: write ${meant} (sfkit's options are simple-salesforce's keyword arguments in camelCase).`,
      );
    }
  }
}

import { ConfigurationError } from "./errors/configuration-error.js";

/**
 * The REST API version used when none is given. Salesforce's reference recommends a
 * version between 58.0 and 62.0 for clients that must also log in by SOAP (refused from
 * 65.0 on); 62.0 is the newest of those.
 */
export const DEFAULT_API_VERSION = "62.0";

/** Accepts "64.0", "v64.0", "64" or 64 and returns "64.0". Anything else is a ConfigurationError. */
export function normalizeApiVersion(input: string | number | undefined): string {
  if (input === undefined || input === "") return DEFAULT_API_VERSION;
  const text = String(input).trim().replace(/^v/i, "");
  const match = /^(\d{2,3})(?:\.0)?$/.exec(text);
  if (!match) {
    throw new ConfigurationError(
      `apiVersion ${JSON.stringify(input)} is not a Salesforce API version: give it as "64.0", "v64.0" or 64.`,
      { code: "ERR_API_VERSION" },
    );
  }
  const major = Number(match[1]);
  if (major < 31) {
    throw new ConfigurationError(
      `apiVersion ${major}.0 is retired by Salesforce (versions below 31.0 no longer answer); use ${DEFAULT_API_VERSION} or newer.`,
      { code: "ERR_API_VERSION" },
    );
  }
  return `${major}.0`;
}

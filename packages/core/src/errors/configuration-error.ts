import { SalesforceError, type SalesforceErrorDetails } from "./salesforce-error.js";

/** Options or input that cannot work; the message says what to change. Thrown before any request. */
export class ConfigurationError extends SalesforceError {
  override name = "ConfigurationError";
  constructor(message: string, details: SalesforceErrorDetails = {}) {
    super(message, { code: "ERR_CONFIGURATION", ...details });
  }
}

import { ConfigurationError } from "./errors/configuration-error.js";

/**
 * Turns whatever the user gave as an instance ("acme.my.salesforce.com",
 * "https://acme.my.salesforce.com/", "http://127.0.0.1:8080", "https://host/prefix/")
 * into an origin plus optional path prefix, without a trailing slash.
 */
export function normalizeInstanceUrl(input: string): string {
  // Called on every request with the session's instance URL: skip the URL parse when it repeats.
  if (input === lastInput && lastOutput !== undefined) return lastOutput;
  const output = normalize(input);
  lastInput = input;
  lastOutput = output;
  return output;
}

let lastInput: string | undefined;
let lastOutput: string | undefined;

function normalize(input: string): string {
  const trimmed = input.trim();
  if (!trimmed)
    throw new ConfigurationError(
      "instanceUrl is empty: give the org's URL, e.g. https://acme.my.salesforce.com.",
    );
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigurationError(
      `instanceUrl ${JSON.stringify(input)} is not a URL or host name: give e.g. https://acme.my.salesforce.com.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(
      `instanceUrl must use https:// (or http:// for a local emulator), not ${url.protocol}`,
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}`;
}

/** The host (with port) of an instance URL: the seed's `sf_instance`. */
export function instanceHost(instanceUrl: string): string {
  return new URL(instanceUrl).host;
}

import { ConfigurationError } from "./errors/configuration-error.js";

// Shared by every login strategy (SOAP and OAuth), so that all of them accept the same domains.

/** Hosts that are Salesforce's own login, token or My Domain hosts when given without a scheme. */
const SALESFORCE_SUFFIXES = [
  ".salesforce.com",
  ".force.com",
  ".site.com",
  ".salesforce.mil",
  ".force.mil",
  ".site.mil",
  ".cloudforce.com",
  ".database.com",
  ".sfcrmproducts.cn",
  ".sfcrmapps.cn",
];

/**
 * UI hosts that answer a login POST with a redirect (reference F02). Matched on the host
 * suffix only, so that a My Domain named "acme-lightning" stays valid.
 */
const UI_SUFFIXES: Array<[suffix: string, replacement: string]> = [
  [".lightning.force.com", ".my.salesforce.com"],
  [".lightning.force.mil", ".my.salesforce.mil"],
  [".lightning.crmforce.mil", ".my.salesforce.mil"],
  [".my.salesforce-setup.com", ".my.salesforce.com"],
];

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export interface LoginUrlOptions {
  /** "login" (default), "test", a My Domain prefix ("acme.my", "acme--uat.sandbox.my"), a host or a URL. */
  domain?: string | undefined;
  /** A full login URL; the same as giving a URL as `domain`. */
  loginUrl?: string | undefined;
}

/**
 * The login URL (origin plus optional path prefix, no trailing slash) for a `domain` /
 * `loginUrl` option: "login" → https://login.salesforce.com, "test" →
 * https://test.salesforce.com, "acme.my" → https://acme.my.salesforce.com, a host →
 * https://host, a URL → kept with its scheme, port and path (http:// for a local emulator).
 */
export function resolveLoginUrl(options: LoginUrlOptions, pkg: string): string {
  const { domain, loginUrl } = options;
  for (const [name, value] of [
    ["domain", domain],
    ["loginUrl", loginUrl],
  ] as const) {
    if (value !== undefined && (typeof value !== "string" || !value.trim())) {
      throw new ConfigurationError(
        `[${pkg}] ${name} must be a non-empty string such as "login", "test", "acme.my" or "https://acme.my.salesforce.com".`,
      );
    }
  }
  if (domain !== undefined && loginUrl !== undefined) {
    const a = resolveOne(domain, pkg, "domain");
    const b = resolveOne(loginUrl, pkg, "loginUrl");
    if (a !== b) {
      throw new ConfigurationError(
        `[${pkg}] domain (${a}) and loginUrl (${b}) point at different hosts: give only one of them.`,
      );
    }
    return a;
  }
  return resolveOne(
    (loginUrl ?? domain ?? "login").trim(),
    pkg,
    loginUrl !== undefined ? "loginUrl" : "domain",
  );
}

function resolveOne(raw: string, pkg: string, name: string): string {
  const value = raw.trim();
  const lower = value.toLowerCase();
  if (lower === "login" || lower === "test") return `https://${lower}.salesforce.com`;
  let candidate: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) candidate = value;
  else if (looksLikeHost(lower)) candidate = `https://${value}`;
  else {
    const labels = value.replace(/\.$/, "").split(".");
    if (!labels.every((label) => LABEL.test(label))) {
      throw new ConfigurationError(
        `[${pkg}] ${name} ${JSON.stringify(raw)} is not a login domain: give "login", "test", a My Domain such as "acme.my" or "acme--uat.sandbox.my", a host, or a URL such as "https://acme.my.salesforce.com".`,
      );
    }
    candidate = `https://${labels.join(".")}.salesforce.com`;
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new ConfigurationError(
      `[${pkg}] ${name} ${JSON.stringify(raw)} is not a valid host or URL: give e.g. "https://acme.my.salesforce.com".`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(
      `[${pkg}] ${name} must use https:// (or http:// for a local emulator), not ${url.protocol}`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigurationError(
      `[${pkg}] ${name} must be a plain host or URL without credentials, query or fragment (got ${url.protocol}//${url.host}...).`,
    );
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol === "http:" && SALESFORCE_SUFFIXES.some((suffix) => `.${host}`.endsWith(suffix))) {
    throw new ConfigurationError(
      `[${pkg}] ${name} ${url.host} must use https://: Salesforce does not accept credentials over plain http (http:// is for a local emulator).`,
    );
  }
  for (const [suffix, replacement] of UI_SUFFIXES) {
    if (host.endsWith(suffix)) {
      const mine = host.slice(0, -suffix.length) + replacement;
      throw new ConfigurationError(
        `[${pkg}] ${url.host} is a Salesforce UI host, which redirects logins instead of answering them: log in through your My Domain, https://${mine}, or through ${host.includes("sandbox") ? "test" : "login"}.salesforce.com.`,
        { code: "ERR_LIGHTNING_LOGIN_URL" },
      );
    }
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (/\/services(\/|$)/i.test(path)) {
    throw new ConfigurationError(
      `[${pkg}] ${name} must be the login host (e.g. https://login.salesforce.com), not an API path (${path}).`,
    );
  }
  return `${url.protocol}//${url.host}${path}`;
}

function looksLikeHost(value: string): boolean {
  if (value.includes(":") || value.includes("/")) return true;
  if (value === "localhost" || /^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return true;
  return SALESFORCE_SUFFIXES.some((suffix) => value.endsWith(suffix));
}

/** True for login.salesforce.com / test.salesforce.com (and their GovCloud forms). */
export function isGenericLoginHost(loginUrl: string): boolean {
  const host = new URL(loginUrl).hostname.toLowerCase();
  return /^(login|test)\.salesforce\.(com|mil)$/.test(host);
}

/**
 * True for sandbox-like login hosts, whose JWT audience is test.salesforce.com:
 * test.salesforce.com, `*.sandbox.my.salesforce.com` and scratch orgs' `*.scratch.my.salesforce.com`.
 */
export function isSandboxLoginHost(loginUrl: string): boolean {
  const host = new URL(loginUrl).hostname.toLowerCase();
  return /^test\.salesforce\./.test(host) || /\.(sandbox|scratch)\.my\.salesforce\./.test(host);
}

import { ConfigurationError } from "../errors/configuration-error.js";

/** How a client reaches Salesforce through a proxy. */
export type ProxyOption =
  | string
  | {
      /** The proxy URL, e.g. http://proxy.corp:3128. */
      url?: string;
      /** Hosts that bypass the proxy: "localhost,.corp.example,10.0.0.1:8443" or a list. */
      noProxy?: string | string[];
      /** Read HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case forms) from the environment. */
      fromEnv?: boolean;
    };

interface ProxyPlan {
  https?: string;
  http?: string;
  noProxy: string[];
}

function env(name: string): string | undefined {
  return process.env[name] ?? process.env[name.toLowerCase()];
}

function plan(option: ProxyOption | undefined): ProxyPlan | undefined {
  if (option === undefined) return undefined;
  const config = typeof option === "string" ? { url: option } : option;
  const fromEnv = config.fromEnv === true;
  const https = config.url ?? (fromEnv ? (env("HTTPS_PROXY") ?? env("HTTP_PROXY")) : undefined);
  const http = config.url ?? (fromEnv ? env("HTTP_PROXY") : undefined);
  const listed = config.noProxy ?? (fromEnv ? env("NO_PROXY") : undefined) ?? [];
  const noProxy = (Array.isArray(listed) ? listed : listed.split(/[,\s]+/))
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const url of [https, http]) {
    if (url && !/^https?:\/\//i.test(url)) {
      throw new ConfigurationError(
        `proxy ${JSON.stringify(url)} must be an http:// or https:// URL, e.g. http://proxy.corp:3128`,
      );
    }
  }
  if (!https && !http) return undefined;
  return { https, http, noProxy };
}

/** True when the host (and port) matches a NO_PROXY entry, by curl's rules. */
export function bypassesProxy(target: URL, noProxy: string[]): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  return noProxy.some((entry) => {
    if (entry === "*") return true;
    const [entryHost = "", entryPort] = entry.replace(/^\[|\]$/g, "").split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) return false;
    const bare = entryHost.replace(/^\*?\./, "");
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/** Returns the function that picks the proxy for each request URL (undefined: go direct). */
export function proxySelector(option: ProxyOption | undefined): (url: string) => string | undefined {
  const chosen = plan(option);
  if (!chosen) return () => undefined;
  return (url) => {
    const target = new URL(url);
    if (bypassesProxy(target, chosen.noProxy)) return undefined;
    return target.protocol === "https:" ? chosen.https : (chosen.http ?? chosen.https);
  };
}

import type { ApiUsage } from "./types.js";

/**
 * Parses `Sforce-Limit-Info`: "api-usage=18/5000; per-app-api-usage=17/250(appName=x)"
 * in any order, with ";" or "," between entries. Returns undefined when absent or unreadable.
 */
export function parseLimitInfo(header: string | undefined): ApiUsage | undefined {
  if (!header) return undefined;
  let usage: ApiUsage | undefined;
  let perApp: ApiUsage["perApp"];
  for (const entry of header.split(/[;,]/)) {
    const match = /^\s*([\w-]+)\s*=\s*(\d+)\s*\/\s*(\d+)\s*(?:\(\s*appName\s*=\s*([^)]*)\))?\s*$/.exec(entry);
    if (!match) continue;
    const [, name, used, limit, appName] = match;
    if (name === "api-usage") usage = { used: Number(used), limit: Number(limit) };
    else if (name === "per-app-api-usage")
      perApp = { used: Number(used), limit: Number(limit), ...(appName ? { appName: appName.trim() } : {}) };
  }
  if (!usage) return undefined;
  return perApp ? { ...usage, perApp } : usage;
}

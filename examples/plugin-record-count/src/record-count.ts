import { type Client, ConfigurationError, SalesforceMalformedResponse } from "@sfkit/core";

/** Options of one `sf.recordCount()` call. */
export interface RecordCountCallOptions {
  signal?: AbortSignal;
  /** Per-attempt time-out in ms. */
  timeout?: number;
}

/** What `recordCount()` adds to a client. */
export interface RecordCountKeys {
  /**
   * Approximate record counts from `GET /limits/recordCount` (what Setup › Storage Usage
   * shows; Salesforce refreshes them about once a day, deleted records excluded).
   *
   * Every object asked for is in the result: objects Salesforce leaves out of its answer
   * (no records, or no count yet) are 0. With no argument, every object Salesforce counts.
   *
   * ```ts
   * const counts = await sf.recordCount(["Account", "Contact"]); // { Account: 12, Contact: 0 }
   * ```
   */
  recordCount(
    objects?: string | readonly string[],
    options?: RecordCountCallOptions,
  ): Promise<Record<string, number>>;
}

interface RecordCountBody {
  sObjects?: Array<{ name?: unknown; count?: unknown }>;
}

// An sObject API name: letters, digits and underscores (custom objects end in __c and friends).
const SOBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function objectList(objects: string | readonly string[] | undefined): string[] | undefined {
  if (objects === undefined) return undefined;
  const list = typeof objects === "string" ? objects.split(",") : [...objects];
  const names = list.map((name) => (typeof name === "string" ? name.trim() : name));
  for (const name of names) {
    if (typeof name !== "string" || !SOBJECT_NAME.test(name)) {
      throw new ConfigurationError(
        `recordCount() takes sObject API names such as "Account" or "Broker__c", not ${JSON.stringify(name)}.`,
      );
    }
  }
  if (names.length === 0) {
    throw new ConfigurationError(
      "recordCount() was given an empty list: name at least one sObject, or none for all.",
    );
  }
  return [...new Set(names)];
}

/**
 * A plugin that adds `sf.recordCount(objects)`. It needs nothing but core's `request`, so it
 * works on any client: `createClient(...).extend(recordCount())`.
 */
export function recordCount() {
  const plugin = (client: Client): RecordCountKeys => ({
    async recordCount(objects, options = {}) {
      const names = objectList(objects);
      const response = await client.request<RecordCountBody>({
        method: "GET",
        path: "limits/recordCount",
        query: names ? { sObjects: names.join(",") } : undefined,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        responseType: "json",
        context: { plugin: "recordCount" },
      });
      const body = response.data;
      if (!body || typeof body !== "object" || !Array.isArray(body.sObjects)) {
        throw new SalesforceMalformedResponse(
          "GET limits/recordCount did not return { sObjects: [...] }: is the API version 40.0 or later?",
          { status: response.status, method: "GET", url: response.url, content: body },
        );
      }
      const counts: Record<string, number> = {};
      for (const name of names ?? []) counts[name] = 0;
      for (const entry of body.sObjects) {
        if (typeof entry?.name !== "string") continue;
        // Salesforce answers with the object's own spelling; keep the caller's when it differs in case only.
        const key =
          names?.find((n) => n.toLowerCase() === (entry.name as string).toLowerCase()) ?? entry.name;
        counts[key] = typeof entry.count === "number" ? entry.count : Number(entry.count) || 0;
      }
      return counts;
    },
  });
  return Object.assign(plugin, { pluginName: "recordCount" as const });
}

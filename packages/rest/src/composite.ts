import { ConfigurationError, SalesforceError, SalesforceMalformedResponse } from "@sfkit/core";
import { type RestContext, checkId, checkName } from "./context.js";
import type { CallOptions, SObjectRecord, SaveResult } from "./types.js";

/** sObject Collections take at most this many records per request. */
export const COLLECTION_CHUNK = 200;
/** Composite and composite batch take at most this many subrequests. */
export const COMPOSITE_LIMIT = 25;

export interface CollectionOptions extends CallOptions {
  /**
   * Roll back the whole request when one record fails (default false). Salesforce applies it
   * per request of 200 records: with more records, chunks already sent stay committed, and
   * the chunks after a failing one are not sent (their results say so).
   */
  allOrNone?: boolean;
}

/** A composite batch subrequest. `url` may be "sobjects/...", "vNN.0/..." or "/services/data/vNN.0/...". */
export interface BatchSubrequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE" | "HEAD";
  url: string;
  /** Request body (Salesforce's `richInput`). */
  richInput?: unknown;
  body?: unknown;
  binaryPartName?: string;
  binaryPartNameAlias?: string;
}

export interface BatchResult {
  hasErrors: boolean;
  results: Array<{ statusCode: number; result: unknown }>;
}

/** A composite subrequest. `url` may be relative ("sobjects/Account") or "/services/data/vNN.0/...". */
export interface CompositeSubrequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE" | "HEAD";
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

export interface CompositeSubresponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

export interface CompositeResult {
  compositeResponse: CompositeSubresponse[];
  /** True when any subresponse has a status of 400 or more. */
  hasErrors: boolean;
}

export interface TreeResult {
  hasErrors: boolean;
  results: Array<{ referenceId: string; id?: string; errors?: SaveResult["errors"] }>;
}

/** `sf.composite`: sObject Collections, composite, composite batch and sObject Tree. */
export interface CompositeApi {
  /** `POST composite/sobjects` in chunks of 200. Records carry `attributes.type`, or give the type first. */
  create(type: string, records: readonly SObjectRecord[], options?: CollectionOptions): Promise<SaveResult[]>;
  create(records: readonly SObjectRecord[], options?: CollectionOptions): Promise<SaveResult[]>;
  /** `PATCH composite/sobjects` in chunks of 200; each record needs its `Id`. */
  update(type: string, records: readonly SObjectRecord[], options?: CollectionOptions): Promise<SaveResult[]>;
  update(records: readonly SObjectRecord[], options?: CollectionOptions): Promise<SaveResult[]>;
  /** `PATCH composite/sobjects/T/field` in chunks of 200; each result has `created`. */
  upsert(
    type: string,
    externalIdField: string,
    records: readonly SObjectRecord[],
    options?: CollectionOptions,
  ): Promise<SaveResult[]>;
  /** `DELETE composite/sobjects?ids=...` in chunks of 200. */
  delete(ids: readonly string[], options?: CollectionOptions): Promise<SaveResult[]>;
  /** `GET composite/sobjects/T?ids&fields` in chunks of 200: one record (or null when not found) per id. */
  retrieve<T extends object = SObjectRecord>(
    type: string,
    ids: readonly string[],
    fields: readonly string[],
    options?: CallOptions,
  ): Promise<Array<(T & SObjectRecord) | null>>;
  /** `POST composite`: up to 25 subrequests with `@{ref.field}` references. */
  execute(
    subrequests: readonly CompositeSubrequest[],
    options?: CallOptions & { allOrNone?: boolean; collateSubrequests?: boolean },
  ): Promise<CompositeResult>;
  /** `POST composite/batch` (chunks of 25); with `haltOnError`, later chunks are not sent after a failure. */
  batch(
    subrequests: readonly BatchSubrequest[],
    options?: CallOptions & { haltOnError?: boolean },
  ): Promise<BatchResult>;
  /**
   * `POST composite/tree/T`: records with nested children (`{ Contacts: { records: [...] } }`),
   * up to 200 in all. Missing `attributes.referenceId`s are filled in (`ref1`, `ref2`, ...);
   * root records get `attributes.type` = T when absent. A rejected tree (400, nothing saved)
   * is returned with `hasErrors: true`, not thrown.
   */
  tree(type: string, records: readonly SObjectRecord[], options?: CallOptions): Promise<TreeResult>;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function normalizeSave(item: unknown): SaveResult {
  if (!item || typeof item !== "object") {
    return {
      id: null,
      success: false,
      errors: [{ statusCode: "UNKNOWN", message: `Unreadable result ${JSON.stringify(item)}` }],
    };
  }
  const value = item as Partial<SaveResult>;
  return {
    ...value,
    id: value.id ?? null,
    success: value.success === true,
    errors: Array.isArray(value.errors) ? value.errors : [],
  };
}

function checkResults(data: unknown, expected: number, what: string): unknown[] {
  if (!Array.isArray(data) || data.length !== expected) {
    throw new SalesforceMalformedResponse(
      `${what} returned ${Array.isArray(data) ? `${data.length} results` : "no result array"} for ${expected} records; sfkit cannot tell which records were saved. Check them with a query.`,
      { content: data, code: "ERR_MALFORMED_RESPONSE" },
    );
  }
  return data;
}

const notSent = (count: number, what: string): SaveResult[] =>
  Array.from({ length: count }, () => ({
    id: null,
    success: false,
    errors: [
      {
        statusCode: "PROCESSING_HALTED",
        message: `Not sent: an earlier chunk of this allOrNone ${what} failed (each chunk of 200 is its own transaction; earlier chunks stay committed).`,
        fields: [],
      },
    ],
  }));

function typedRecords(
  typeOrRecords: string | readonly SObjectRecord[],
  recordsOrOptions: readonly SObjectRecord[] | CollectionOptions | undefined,
  maybeOptions: CollectionOptions | undefined,
  what: string,
): { records: SObjectRecord[]; options: CollectionOptions | undefined } {
  let type: string | undefined;
  let records: readonly SObjectRecord[];
  let options: CollectionOptions | undefined;
  if (typeof typeOrRecords === "string") {
    type = checkName(typeOrRecords, "sObject");
    records = recordsOrOptions as readonly SObjectRecord[];
    options = maybeOptions;
  } else {
    records = typeOrRecords;
    options = recordsOrOptions as CollectionOptions | undefined;
  }
  if (!Array.isArray(records)) throw new ConfigurationError(`composite.${what}() takes an array of records.`);
  return {
    options,
    records: records.map((record, index) => {
      if (!record || typeof record !== "object") {
        throw new ConfigurationError(`composite.${what}(): record ${index} is not an object.`);
      }
      const recordType = record.attributes?.type ?? type;
      if (!recordType) {
        throw new ConfigurationError(
          `composite.${what}(): record ${index} has no attributes.type; give the sObject type first: composite.${what}("Account", records).`,
        );
      }
      return { ...record, attributes: { ...record.attributes, type: recordType } };
    }),
  };
}

function normalizeBatchUrl(url: string, apiVersion: string): string {
  if (typeof url !== "string" || !url) throw new ConfigurationError("A batch subrequest needs a url.");
  const full = /^\/services\/data\/(v\d+\.\d+\/.*)$/.exec(url);
  if (full) return full[1]!;
  if (/^v\d+\.\d+\//.test(url)) return url;
  return `v${apiVersion}/${url.replace(/^\//, "")}`;
}

function normalizeCompositeUrl(url: string, apiVersion: string): string {
  if (typeof url !== "string" || !url) throw new ConfigurationError("A composite subrequest needs a url.");
  if (url.startsWith("/services/")) return url;
  if (/^v\d+\.\d+\//.test(url)) return `/services/data/${url}`;
  return `/services/data/v${apiVersion}/${url.replace(/^\//, "")}`;
}

function countTree(records: readonly SObjectRecord[], depth: number): number {
  let total = 0;
  for (const record of records) {
    total++;
    for (const [key, value] of Object.entries(record)) {
      if (key !== "attributes" && isNested(value)) total += countTree(value.records, depth + 1);
    }
  }
  if (depth > 5) throw new ConfigurationError("composite.tree(): records may nest at most 5 levels deep.");
  return total;
}

function isNested(value: unknown): value is { records: SObjectRecord[] } {
  return (
    typeof value === "object" && value !== null && Array.isArray((value as { records?: unknown }).records)
  );
}

export function createComposite(ctx: RestContext): CompositeApi {
  const apiVersion = ctx.client.apiVersion;

  async function collection(
    what: string,
    records: SObjectRecord[],
    options: CollectionOptions | undefined,
    send: (chunk: SObjectRecord[], allOrNone: boolean) => Promise<unknown>,
  ): Promise<SaveResult[]> {
    const allOrNone = options?.allOrNone === true;
    const results: SaveResult[] = [];
    const parts = chunks(records, COLLECTION_CHUNK);
    for (const [index, chunk] of parts.entries()) {
      const data = await send(chunk, allOrNone);
      const saved = checkResults(data, chunk.length, `composite.${what}`).map(normalizeSave);
      results.push(...saved);
      if (allOrNone && saved.some((r) => !r.success)) {
        const rest = parts.slice(index + 1).reduce((n, c) => n + c.length, 0);
        results.push(...notSent(rest, what));
        break;
      }
    }
    return results;
  }

  const api: CompositeApi = {
    create(typeOrRecords: string | readonly SObjectRecord[], a?: unknown, b?: CollectionOptions) {
      const { records, options } = typedRecords(typeOrRecords, a as never, b, "create");
      records.forEach((r, i) => {
        if (r.Id)
          throw new ConfigurationError(
            `composite.create(): record ${i} has an Id; use update() or upsert().`,
          );
      });
      return collection("create", records, options, async (chunk, allOrNone) => {
        const { data } = await ctx.call(
          { method: "POST", path: "composite/sobjects", body: { allOrNone, records: chunk } },
          options,
        );
        return data;
      });
    },
    update(typeOrRecords: string | readonly SObjectRecord[], a?: unknown, b?: CollectionOptions) {
      const { records, options } = typedRecords(typeOrRecords, a as never, b, "update");
      records.forEach((r, i) => {
        if (!r.Id) throw new ConfigurationError(`composite.update(): record ${i} has no Id.`);
      });
      return collection("update", records, options, async (chunk, allOrNone) => {
        const { data } = await ctx.call(
          {
            method: "PATCH",
            path: "composite/sobjects",
            body: { allOrNone, records: chunk },
            idempotent: true,
          },
          options,
        );
        return data;
      });
    },
    upsert(type, externalIdField, input, options) {
      checkName(type, "sObject");
      checkName(externalIdField, "external id field");
      const { records } = typedRecords(type, input, options, "upsert");
      return collection("upsert", records, options, async (chunk, allOrNone) => {
        const { data } = await ctx.call(
          {
            method: "PATCH",
            path: `composite/sobjects/${type}/${externalIdField}`,
            body: { allOrNone, records: chunk },
            idempotent: true,
          },
          options,
        );
        return data;
      });
    },
    async delete(ids, options) {
      if (!Array.isArray(ids))
        throw new ConfigurationError("composite.delete() takes an array of record ids.");
      for (const id of ids) checkId(id);
      const records = ids.map((Id) => ({ Id }));
      return collection("delete", records, options, async (chunk, allOrNone) => {
        const { data } = await ctx.call(
          {
            method: "DELETE",
            path: "composite/sobjects",
            query: { ids: chunk.map((r) => r.Id).join(","), allOrNone },
          },
          options,
        );
        return data;
      });
    },
    async retrieve<T extends object>(
      type: string,
      ids: readonly string[],
      fields: readonly string[],
      options?: CallOptions,
    ) {
      checkName(type, "sObject");
      if (!Array.isArray(ids))
        throw new ConfigurationError("composite.retrieve() takes an array of record ids.");
      if (!Array.isArray(fields) || fields.length === 0) {
        throw new ConfigurationError("composite.retrieve() needs the fields to read, e.g. ['Id', 'Name'].");
      }
      for (const id of ids) checkId(id);
      const out: Array<(T & SObjectRecord) | null> = [];
      for (const chunk of chunks(ids, COLLECTION_CHUNK)) {
        const { data } = await ctx.call(
          { path: `composite/sobjects/${type}`, query: { ids: chunk.join(","), fields: fields.join(",") } },
          options,
        );
        out.push(
          ...(checkResults(data, chunk.length, "composite.retrieve") as Array<(T & SObjectRecord) | null>),
        );
      }
      return out;
    },
    async execute(subrequests, options) {
      if (!Array.isArray(subrequests) || subrequests.length === 0) {
        throw new ConfigurationError("composite.execute() takes a non-empty array of subrequests.");
      }
      if (subrequests.length > COMPOSITE_LIMIT) {
        throw new ConfigurationError(
          `composite.execute() got ${subrequests.length} subrequests; Salesforce takes at most ${COMPOSITE_LIMIT} per composite request. Split them, or use collections for records.`,
        );
      }
      const seen = new Set<string>();
      const compositeRequest = subrequests.map((sub, i) => {
        if (!sub.referenceId || !/^[A-Za-z0-9_]+$/.test(sub.referenceId) || seen.has(sub.referenceId)) {
          throw new ConfigurationError(
            `composite.execute(): subrequest ${i} needs a unique referenceId of letters, digits and underscores (got ${JSON.stringify(sub.referenceId)}).`,
          );
        }
        seen.add(sub.referenceId);
        return { ...sub, url: normalizeCompositeUrl(sub.url, apiVersion) };
      });
      const { data } = await ctx.call<{ compositeResponse?: unknown }>(
        {
          method: "POST",
          path: "composite",
          body: {
            allOrNone: options?.allOrNone === true,
            collateSubrequests: options?.collateSubrequests === true,
            compositeRequest,
          },
        },
        options,
      );
      const items = checkResults(
        data?.compositeResponse,
        subrequests.length,
        "composite",
      ) as CompositeSubresponse[];
      return {
        compositeResponse: items,
        hasErrors: items.some(
          (item) => !item || typeof item.httpStatusCode !== "number" || item.httpStatusCode >= 400,
        ),
      };
    },
    async batch(subrequests, options) {
      if (!Array.isArray(subrequests) || subrequests.length === 0) {
        throw new ConfigurationError("composite.batch() takes a non-empty array of subrequests.");
      }
      const haltOnError = options?.haltOnError === true;
      const results: BatchResult["results"] = [];
      let hasErrors = false;
      const parts = chunks(subrequests, COMPOSITE_LIMIT);
      for (const [index, chunk] of parts.entries()) {
        const batchRequests = chunk.map((sub) => {
          const { body, ...rest } = sub;
          const richInput = sub.richInput ?? body;
          return {
            ...rest,
            url: normalizeBatchUrl(sub.url, apiVersion),
            ...(richInput !== undefined ? { richInput } : {}),
          };
        });
        const { data } = await ctx.call<{ hasErrors?: boolean; results?: unknown }>(
          { method: "POST", path: "composite/batch", body: { haltOnError, batchRequests } },
          options,
        );
        const items = checkResults(data?.results, chunk.length, "composite batch") as BatchResult["results"];
        results.push(...items);
        const failed = data?.hasErrors === true || items.some((r) => !r || r.statusCode >= 400);
        hasErrors ||= failed;
        if (failed && haltOnError) {
          for (const later of parts.slice(index + 1)) {
            for (const _ of later) {
              results.push({
                statusCode: 412,
                result: [
                  {
                    errorCode: "BATCH_PROCESSING_HALTED",
                    message: "Not sent: an earlier batch of this request failed and haltOnError is set.",
                  },
                ],
              });
            }
          }
          break;
        }
      }
      return { hasErrors, results };
    },
    async tree(type, input, options) {
      checkName(type, "sObject");
      if (!Array.isArray(input) || input.length === 0) {
        throw new ConfigurationError("composite.tree() takes a non-empty array of records.");
      }
      const total = countTree(input, 1);
      if (total > COLLECTION_CHUNK) {
        throw new ConfigurationError(
          `composite.tree() got ${total} records; Salesforce takes at most ${COLLECTION_CHUNK} per tree and saves each tree all or nothing. Send smaller trees, or use composite.create().`,
        );
      }
      // The referenceIds given are kept (and must be unique); the missing ones are generated around them.
      const given = new Set<string>();
      const reserve = (records: readonly SObjectRecord[]) => {
        for (const record of records) {
          const ref = record.attributes?.referenceId;
          if (ref !== undefined) {
            if (typeof ref !== "string" || !/^[A-Za-z0-9_]+$/.test(ref) || given.has(ref)) {
              throw new ConfigurationError(
                `composite.tree(): referenceId ${JSON.stringify(ref)} is used twice or is not letters, digits and underscores.`,
              );
            }
            given.add(ref);
          }
          for (const [key, value] of Object.entries(record))
            if (key !== "attributes" && isNested(value)) reserve(value.records);
        }
      };
      reserve(input);
      let counter = 0;
      const prepare = (
        record: SObjectRecord,
        defaultType: string | undefined,
        path: string,
      ): SObjectRecord => {
        const attributes: Record<string, unknown> = { ...record.attributes };
        attributes.type ??= defaultType;
        if (!attributes.type) {
          throw new ConfigurationError(`composite.tree(): the record at ${path} needs attributes.type.`);
        }
        if (attributes.referenceId === undefined) {
          let ref: string;
          do ref = `ref${++counter}`;
          while (given.has(ref));
          attributes.referenceId = ref;
        }
        const out: SObjectRecord = { ...record, attributes: attributes as SObjectRecord["attributes"] };
        for (const [key, value] of Object.entries(record)) {
          if (key !== "attributes" && isNested(value)) {
            out[key] = {
              records: value.records.map((child, i) => prepare(child, undefined, `${path}.${key}[${i}]`)),
            };
          }
        }
        return out;
      };
      const records = input.map((r, i) => prepare(r, type, `[${i}]`));
      try {
        const { data } = await ctx.call<TreeResult>(
          { method: "POST", path: `composite/tree/${type}`, body: { records } },
          options,
        );
        return checkTree(data);
      } catch (error) {
        if (
          SalesforceError.isInstance(error) &&
          error.status === 400 &&
          (error.content as TreeResult | undefined)?.hasErrors === true
        ) {
          return checkTree(error.content);
        }
        throw error;
      }
    },
  };
  return Object.freeze(api);
}

function checkTree(data: unknown): TreeResult {
  const value = data as TreeResult | null;
  if (!value || typeof value.hasErrors !== "boolean" || !Array.isArray(value.results)) {
    throw new SalesforceMalformedResponse(
      `composite tree did not return { hasErrors, results }; got ${JSON.stringify(data)?.slice(0, 200)}`,
      { content: data, code: "ERR_MALFORMED_RESPONSE" },
    );
  }
  return value;
}

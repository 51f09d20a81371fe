import { readFile } from "node:fs/promises";
import { ConfigurationError, fileReadError } from "@sfkit/core";
import { type RestContext, checkId, checkName } from "./context.js";
import { replicationWindow } from "./dates.js";
import { encodePathSegment } from "./soql.js";
import type {
  CallOptions,
  DeletedResult,
  DescribeSObjectResult,
  SObjectMetadata,
  SObjectRecord,
  SaveResult,
  UpdatedResult,
  UpsertResult,
} from "./types.js";

/** Fields a write may carry: any of the record's fields (nulls clear a field). */
export type RecordInput<T> = { [K in keyof T]?: T[K] | null } & Record<string, unknown>;

/** `field/value` as a string (the value already encoded, as `formatExternalId` writes it) or `[field, value]`. */
export type ExternalIdPath = string | readonly [field: string, value: string | number | bigint];

/** `sf.sobjects.Contact` / `sf.sobject("Contact")`: record-level calls for one sObject type. */
export interface SObjectApi<T extends object = SObjectRecord> {
  /** The sObject API name. */
  readonly name: string;
  /** `POST sobjects/T` → `{ id, success, errors }`. */
  create(data: RecordInput<T>, options?: CallOptions): Promise<SaveResult>;
  /** `GET sobjects/T/id[?fields=...]` → the record. */
  get(id: string, options?: CallOptions & { fields?: readonly string[] }): Promise<T & SObjectRecord>;
  /** `GET sobjects/T/field/value` (the value encoded as one path segment) → the record. A 300 throws `SalesforceMoreThanOneRecord`. */
  getByCustomId(
    field: string,
    value: string | number | bigint,
    options?: CallOptions & { fields?: readonly string[] },
  ): Promise<T & SObjectRecord>;
  /** `PATCH sobjects/T/id` → the HTTP status (204). */
  update(id: string, data: RecordInput<T>, options?: CallOptions): Promise<number>;
  /**
   * `PATCH sobjects/T/field/value` → the HTTP status: 201 created, 200 (v46.0+) or 204
   * updated. A 300 (several matches) throws `SalesforceMoreThanOneRecord` with the URLs.
   */
  upsert(path: ExternalIdPath, data: RecordInput<T>, options?: CallOptions): Promise<number>;
  /** As `upsert`, returning the status together with the id and whether it was created. */
  upsertResult(path: ExternalIdPath, data: RecordInput<T>, options?: CallOptions): Promise<UpsertResult>;
  /** `DELETE sobjects/T/id` → the HTTP status (204). */
  delete(id: string, options?: CallOptions): Promise<number>;
  /** `GET sobjects/T/deleted?start&end` (UTC, encoded). Start must be before end. */
  deleted(start: Date | string, end: Date | string, options?: CallOptions): Promise<DeletedResult>;
  /** `GET sobjects/T/updated?start&end`. */
  updated(start: Date | string, end: Date | string, options?: CallOptions): Promise<UpdatedResult>;
  /** `GET sobjects/T` (basic information and recent items). */
  metadata(options?: CallOptions): Promise<SObjectMetadata>;
  /** `GET sobjects/T/describe` (cached when the plugin's `describeCache` is on). */
  describe(options?: CallOptions & { refresh?: boolean }): Promise<DescribeSObjectResult>;
  /** `GET sobjects/T/describe/layouts[/recordTypeId]`. */
  describeLayout(recordTypeId?: string, options?: CallOptions & { refresh?: boolean }): Promise<unknown>;
  /**
   * Creates a record whose base64 field (`Body` unless `field` says otherwise) holds the
   * file's bytes: a path to read, or the bytes. Other fields go in `data`.
   */
  uploadBase64(
    file: string | Uint8Array,
    options?: CallOptions & { field?: string; data?: RecordInput<T> },
  ): Promise<SaveResult>;
  /** Replaces a record's base64 field with the file's bytes → the HTTP status (204). */
  updateBase64(
    id: string,
    file: string | Uint8Array,
    options?: CallOptions & { field?: string; data?: RecordInput<T> },
  ): Promise<number>;
  /** The raw bytes of a record's base64 field (`GET sobjects/T/id/Body`). */
  getBase64(id: string, options?: CallOptions & { field?: string }): Promise<Buffer>;
}

async function base64Of(file: string | Uint8Array, method: string): Promise<string> {
  if (typeof file === "string") {
    try {
      return (await readFile(file)).toString("base64");
    } catch (cause) {
      throw fileReadError({ path: file, option: `the file argument of ${method}()`, cause });
    }
  }
  if (file instanceof Uint8Array)
    return Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString("base64");
  throw new ConfigurationError("Give the file as a path or as bytes (a Buffer or Uint8Array).");
}

const ENCODED_SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;

/**
 * Resolves an external-id path to `field/encodedValue`. A tuple's value is always encoded.
 * A string is `field/value` with the value taken as already encoded (what `formatExternalId`
 * gives) when it is a valid encoded path segment, and encoded otherwise: a `/`, space, `#`,
 * `?`, a lone `%` or any non-ASCII character can never leak into the URL as structure.
 */
export function externalIdPath(path: ExternalIdPath): string {
  if (Array.isArray(path)) {
    const [field, value] = path as readonly [string, string | number | bigint];
    checkName(field, "external id field");
    if (value === undefined || value === null || String(value) === "") {
      throw new ConfigurationError(
        `The value for external id field ${field} is empty; give a value, or use create() for a new record.`,
      );
    }
    return `${field}/${encodePathSegment(String(value))}`;
  }
  if (typeof path !== "string") {
    throw new ConfigurationError(
      'upsert() takes "Field__c/value" or ["Field__c", value] as its first argument.',
    );
  }
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) {
    throw new ConfigurationError(
      `${JSON.stringify(path)} is not an external id path: write "Field__c/value" or pass ["Field__c", value].`,
    );
  }
  const field = checkName(path.slice(0, slash), "external id field");
  const value = path.slice(slash + 1);
  return `${field}/${ENCODED_SEGMENT.test(value) ? value : encodePathSegment(value)}`;
}

export function createSObject<T extends object>(ctx: RestContext, name: string): SObjectApi<T> {
  checkName(name, "sObject");
  const base = `sobjects/${name}`;
  const recordPath = (id: string) => `${base}/${encodePathSegment(checkId(id))}`;
  const fieldsQuery = (fields: readonly string[] | undefined) => {
    if (fields === undefined) return undefined;
    if (!Array.isArray(fields) || fields.length === 0) {
      throw new ConfigurationError("fields must be a non-empty array of field names, e.g. ['Id', 'Email'].");
    }
    return { fields: fields.join(",") };
  };
  const checkData = (data: unknown, what: string) => {
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      throw new ConfigurationError(
        `${what} takes the record's fields as an object, e.g. { LastName: "Smith" }.`,
      );
    }
  };
  const upsertCall = async (path: ExternalIdPath, data: unknown, options?: CallOptions) => {
    checkData(data, "upsert()");
    return ctx.call<Partial<SaveResult> | null>(
      {
        method: "PATCH",
        path: `${base}/${externalIdPath(path)}`,
        body: data as Record<string, unknown>,
        idempotent: true,
      },
      options,
    );
  };
  const api: SObjectApi<T> = {
    name,
    async create(data, options) {
      checkData(data, "create()");
      return (await ctx.call<SaveResult>({ method: "POST", path: base, body: data }, options)).data;
    },
    async get(id, options) {
      const query = fieldsQuery(options?.fields);
      return (
        await ctx.call<T & SObjectRecord>({ path: recordPath(id), ...(query ? { query } : {}) }, options)
      ).data;
    },
    async getByCustomId(field, value, options) {
      const query = fieldsQuery(options?.fields);
      const path = `${base}/${externalIdPath([field, value])}`;
      return (await ctx.call<T & SObjectRecord>({ path, ...(query ? { query } : {}) }, options)).data;
    },
    async update(id, data, options) {
      checkData(data, "update()");
      return (
        await ctx.call({ method: "PATCH", path: recordPath(id), body: data, idempotent: true }, options)
      ).status;
    },
    async upsert(path, data, options) {
      return (await upsertCall(path, data, options)).status;
    },
    async upsertResult(path, data, options) {
      const { status, data: body } = await upsertCall(path, data, options);
      return {
        status,
        created: status === 201,
        ...(body?.id ? { id: body.id } : {}),
        success: body?.success ?? true,
        errors: body?.errors ?? [],
      };
    },
    async delete(id, options) {
      return (await ctx.call({ method: "DELETE", path: recordPath(id) }, options)).status;
    },
    async deleted(start, end, options) {
      const query = replicationWindow(start, end);
      return (await ctx.call<DeletedResult>({ path: `${base}/deleted/`, query }, options)).data;
    },
    async updated(start, end, options) {
      const query = replicationWindow(start, end);
      return (await ctx.call<UpdatedResult>({ path: `${base}/updated/`, query }, options)).data;
    },
    async metadata(options) {
      return (await ctx.call<SObjectMetadata>({ path: base }, options)).data;
    },
    describe(options) {
      return ctx.cached(`describe:${name.toLowerCase()}`, options?.refresh, async () => {
        return (await ctx.call<DescribeSObjectResult>({ path: `${base}/describe` }, options)).data;
      });
    },
    describeLayout(recordTypeId, options) {
      const path =
        recordTypeId === undefined
          ? `${base}/describe/layouts`
          : `${base}/describe/layouts/${encodePathSegment(checkId(recordTypeId, "record type id"))}`;
      return ctx.cached(`layout:${name.toLowerCase()}:${recordTypeId ?? ""}`, options?.refresh, async () => {
        return (await ctx.call({ path }, options)).data;
      });
    },
    async uploadBase64(file, options) {
      const field = checkName(options?.field ?? "Body", "base64 field");
      const body = { ...options?.data, [field]: await base64Of(file, "uploadBase64") };
      return (await ctx.call<SaveResult>({ method: "POST", path: base, body }, options)).data;
    },
    async updateBase64(id, file, options) {
      const field = checkName(options?.field ?? "Body", "base64 field");
      const body = { ...options?.data, [field]: await base64Of(file, "updateBase64") };
      return (await ctx.call({ method: "PATCH", path: recordPath(id), body, idempotent: true }, options))
        .status;
    },
    async getBase64(id, options) {
      const field = checkName(options?.field ?? "Body", "base64 field");
      const { data } = await ctx.call<Buffer | null>(
        { path: `${recordPath(id)}/${field}`, responseType: "buffer" },
        options,
      );
      return data ?? Buffer.alloc(0);
    },
  };
  return Object.freeze(api);
}

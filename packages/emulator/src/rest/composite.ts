// The composite family (salesforce-wire.md §8): sObject Collections (create, update, upsert,
// delete, retrieve), composite (`@{ref.path}` references, allOrNone rollback), composite batch
// (haltOnError) and sObject Tree (nested children, all or nothing).
//
// Subrequests of composite and batch are sent back to this same server over loopback HTTP
// with the caller's session, so they behave exactly like the standalone calls (and count as
// API calls). allOrNone uses the store's transaction journal around them.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { RequestContext } from "../context.js";
import { type DmlError, DmlException, HttpError, restError } from "../errors.js";
import { normalizeId } from "../ids.js";
import type { Router } from "../router.js";
import type { ObjectDef } from "../schema/types.js";
import { executeSoql } from "../soql/engine.js";
import { type DmlResult, MultipleMatchesError, toDmlResult } from "../store.js";
import { objectOr404, version } from "./util.js";

const COLLECTION_LIMIT = 200;
const COMPOSITE_LIMIT = 25;
const ROLLED_BACK: DmlError = {
  statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
  message: "Record rolled back because not all records were valid and the request was using AllOrNone header",
  fields: [],
};
const HALTED_MESSAGE =
  "The transaction was rolled back since another operation in the same transaction failed.";

type Json = Record<string, unknown>;

function writeOpts(ctx: RequestContext) {
  return { userId: ctx.session?.userId, json: true };
}

function bodyObject(ctx: RequestContext): Json {
  const body = ctx.json<unknown>();
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw restError(
      400,
      "JSON_PARSER_ERROR",
      "Cannot deserialize instance of the request from START_ARRAY value",
    );
  }
  return body as Json;
}

function recordsOf(body: Json, limit = COLLECTION_LIMIT): Json[] {
  const records = body.records;
  if (!Array.isArray(records)) {
    throw restError(400, "JSON_PARSER_ERROR", "The request body needs a records array.");
  }
  if (records.length > limit) {
    throw restError(
      400,
      "EXCEEDED_ID_LIMIT",
      `record limit reached. cannot submit more than ${limit} records into this call`,
    );
  }
  return records as Json[];
}

function withoutAttributes(record: Json): Json {
  const { attributes: _attributes, ...rest } = record;
  return rest;
}

function typeOf(ctx: RequestContext, record: Json): ObjectDef | undefined {
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  return typeof type === "string" ? ctx.org.schema.get(type) : undefined;
}

function failure(errors: DmlError[], id?: string | null): DmlResult {
  return id ? { id, success: false, errors } : ({ success: false, errors } as unknown as DmlResult);
}

/** Renders results in Salesforce's key order: id, success, errors[, created]; failed creates have no id. */
function render(results: DmlResult[], withCreated: boolean): Json[] {
  return results.map((r) => {
    const out: Json = {};
    if (r.id) out.id = r.id;
    out.success = r.success;
    out.errors = r.errors;
    if (withCreated && r.success) out.created = r.created === true;
    return out;
  });
}

/** Runs one DML per record; with allOrNone, one failure rolls back the lot. */
function runCollection(
  ctx: RequestContext,
  allOrNone: boolean,
  items: Array<() => DmlResult>,
  ids: Array<string | null> = [],
): DmlResult[] {
  const tx = allOrNone ? ctx.org.store.begin() : undefined;
  const results = items.map((run) => run());
  if (tx) {
    if (results.some((r) => !r.success)) {
      tx.rollback();
      return results.map((r, i) => (r.success ? failure([ROLLED_BACK], r.id ?? ids[i]) : r));
    }
    tx.commit();
  }
  return results;
}

function allOrNoneOf(value: unknown): boolean {
  return value === true || value === "true";
}

// ------------------------------------------------------------------ collections

function collectionCreate(ctx: RequestContext): void {
  const body = bodyObject(ctx);
  const records = recordsOf(body);
  const results = runCollection(
    ctx,
    allOrNoneOf(body.allOrNone),
    records.map((record) => () => {
      const def = typeOf(ctx, record);
      if (!def)
        return failure([
          { statusCode: "INVALID_TYPE", message: "Must send a concrete entity type.", fields: [] },
        ]);
      if (record.Id !== undefined && record.Id !== null) {
        return failure([
          { statusCode: "INVALID_FIELD", message: "Cannot specify Id in an insert call", fields: ["Id"] },
        ]);
      }
      return toDmlResult(() => ctx.org.store.insert(def.name, withoutAttributes(record), writeOpts(ctx)));
    }),
  );
  ctx.sendJson(200, render(results, false));
}

function collectionUpdate(ctx: RequestContext): void {
  const body = bodyObject(ctx);
  const records = recordsOf(body);
  const ids = records.map((r) => (typeof r.Id === "string" ? r.Id : null));
  const results = runCollection(
    ctx,
    allOrNoneOf(body.allOrNone),
    records.map((record, i) => () => {
      const id = ids[i];
      if (!id)
        return failure([
          { statusCode: "MISSING_ARGUMENT", message: "Id not specified in an update call", fields: [] },
        ]);
      const def = typeOf(ctx, record);
      if (!def)
        return failure(
          [{ statusCode: "INVALID_TYPE", message: "Must send a concrete entity type.", fields: [] }],
          id,
        );
      const result = toDmlResult(() => {
        const { Id: _id, ...values } = withoutAttributes(record);
        const existing = ctx.org.store.get(normalizeId(id) ?? id);
        if (!existing || existing.IsDeleted) {
          throw new DmlException([
            {
              statusCode: existing ? "ENTITY_IS_DELETED" : "INVALID_CROSS_REFERENCE_KEY",
              message: existing ? "entity is deleted" : "invalid cross reference id",
              fields: [],
            },
          ]);
        }
        return ctx.org.store.update(def.name, id, values, writeOpts(ctx));
      });
      return result.success ? result : failure(result.errors, id);
    }),
    ids,
  );
  ctx.sendJson(200, render(results, false));
}

function collectionUpsert(ctx: RequestContext): void {
  const def = objectOr404(ctx, ctx.params.type);
  const field = def.fieldMap.get(String(ctx.params.field).toLowerCase());
  if (!field || !(field.externalId || field.idLookup || field.type === "id")) {
    throw restError(
      404,
      "NOT_FOUND",
      `Provided external ID field does not exist or is not accessible: ${ctx.params.field}`,
    );
  }
  const body = bodyObject(ctx);
  const records = recordsOf(body);
  const results = runCollection(
    ctx,
    allOrNoneOf(body.allOrNone),
    records.map((record) => () => {
      const recordType = typeOf(ctx, record);
      if (recordType && recordType !== def) {
        return failure([
          {
            statusCode: "INVALID_TYPE",
            message: `Record type ${recordType.name} does not match ${def.name}`,
            fields: [],
          },
        ]);
      }
      const values = withoutAttributes(record);
      const key = Object.keys(values).find((k) => k.toLowerCase() === field.name.toLowerCase());
      const value = key ? values[key] : undefined;
      if (value === undefined && field.type !== "id") {
        return failure([
          { statusCode: "MISSING_ARGUMENT", message: `${field.name} not specified`, fields: [] },
        ]);
      }
      return toDmlResult(
        () => ctx.org.store.upsert(def.name, field.name, value, values, writeOpts(ctx)),
        true,
      );
    }),
  );
  ctx.sendJson(200, render(results, true));
}

function collectionDelete(ctx: RequestContext): void {
  const ids = (ctx.query.get("ids") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw restError(400, "MISSING_ARGUMENT", "ids parameter is required");
  if (ids.length > COLLECTION_LIMIT) {
    throw restError(
      400,
      "EXCEEDED_ID_LIMIT",
      `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
    );
  }
  const results = runCollection(
    ctx,
    allOrNoneOf(ctx.query.get("allOrNone")),
    ids.map((id) => () => {
      const result = toDmlResult(() => ctx.org.store.delete(null, id));
      return result.success ? result : failure(result.errors, id);
    }),
    ids,
  );
  ctx.sendJson(200, render(results, false));
}

function collectionRetrieve(ctx: RequestContext): void {
  const def = objectOr404(ctx, ctx.params.type);
  let ids: string[];
  let fields: string[];
  if (ctx.method === "POST") {
    const body = bodyObject(ctx);
    ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    fields = Array.isArray(body.fields) ? body.fields.map(String) : [];
    if (ids.length > 2000)
      throw restError(
        400,
        "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than 2000 records into this call",
      );
  } else {
    ids = (ctx.query.get("ids") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    fields = (ctx.query.get("fields") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length > COLLECTION_LIMIT) {
      throw restError(
        400,
        "EXCEEDED_ID_LIMIT",
        `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
      );
    }
  }
  if (ids.length === 0 || fields.length === 0) {
    throw restError(400, "MISSING_ARGUMENT", "Both ids and fields are required");
  }
  const valid = ids.map((id) => normalizeId(id));
  const wanted = valid.filter((id): id is string => !!id);
  const rendered = new Map<string, Json>();
  if (wanted.length) {
    const select = fields.includes("Id") ? fields : ["Id", ...fields];
    const soql = `SELECT ${select.join(", ")} FROM ${def.name} WHERE Id IN (${wanted.map((id) => `'${id}'`).join(",")})`;
    let res: ReturnType<typeof executeSoql>;
    try {
      res = executeSoql(ctx.org, soql, { now: ctx.org.now() });
    } catch (e) {
      const err = e as { errorCode?: string; message?: string };
      throw restError(400, err.errorCode ?? "INVALID_FIELD", err.message ?? String(e));
    }
    for (const row of res.rows) {
      const out = res.render(row, { version: version(ctx) });
      if (!fields.some((f) => f.toLowerCase() === "id")) delete out.Id;
      rendered.set(String((row as { Id: string }).Id), out);
    }
  }
  ctx.sendJson(
    200,
    valid.map((id) => (id ? (rendered.get(id) ?? null) : null)),
  );
}

// ------------------------------------------------------------------ loopback subrequests

interface SubResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Sends a subrequest to this server with the caller's session, as Salesforce runs it internally. */
function subrequest(
  ctx: RequestContext,
  method: string,
  path: string,
  body: unknown,
  extra: Record<string, string> = {},
): Promise<SubResponse> {
  const base = new URL(ctx.org.url);
  const payload = body === undefined || body === null ? undefined : Buffer.from(JSON.stringify(body), "utf8");
  const headers: Record<string, string> = { ...extra };
  const auth = ctx.header("authorization");
  if (auth) headers.authorization = auth;
  const call = ctx.header("sforce-call-options");
  if (call) headers["sforce-call-options"] = call;
  if (payload) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(payload.length);
  }
  const send = base.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers,
        ...(base.protocol === "https:" ? { ca: ctx.org.ca, rejectUnauthorized: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = null;
          if (text) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (typeof v === "string" && /^(location|etag|last-modified)$/i.test(k)) {
              out[k === "etag" ? "ETag" : k === "last-modified" ? "Last-Modified" : "Location"] = v;
            }
          }
          resolve({ status: res.statusCode ?? 500, headers: out, body: parsed });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** `/services/data/vNN.0/...` (composite) with its query string encoded the way a client would send it. */
function requestPath(url: string): string {
  const [path = "", query] = url.split(/\?(.*)/s, 2);
  const encodedPath = path
    .split("/")
    .map((s) => (/%[0-9A-Fa-f]{2}/.test(s) ? s : encodeURI(s)))
    .join("/");
  if (query === undefined) return encodedPath;
  const params = new URLSearchParams(query);
  return `${encodedPath}?${[...params].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`;
}

// ------------------------------------------------------------------ composite batch

async function batchHandler(ctx: RequestContext): Promise<void> {
  const body = bodyObject(ctx);
  const requests = body.batchRequests;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw restError(400, "JSON_PARSER_ERROR", "batchRequests is required");
  }
  if (requests.length > COMPOSITE_LIMIT) {
    throw restError(
      400,
      "INVALID_BATCH_REQUEST",
      `A batch request can contain at most ${COMPOSITE_LIMIT} subrequests.`,
    );
  }
  for (const r of requests as Json[]) {
    if (typeof r.url !== "string" || !/^v\d+\.\d+\//.test(r.url) || typeof r.method !== "string") {
      throw restError(
        400,
        "INVALID_BATCH_REQUEST",
        `Invalid batch subrequest: the url must start with the version (vXX.X/...): ${String(r.url)}`,
      );
    }
  }
  const haltOnError = body.haltOnError === true;
  const results: Array<{ statusCode: number; result: unknown }> = [];
  let hasErrors = false;
  for (const r of requests as Json[]) {
    if (hasErrors && haltOnError) {
      results.push({
        statusCode: 412,
        result: [{ errorCode: "BATCH_PROCESSING_HALTED", message: "Batch processing halted per request" }],
      });
      continue;
    }
    const res = await subrequest(
      ctx,
      String(r.method).toUpperCase(),
      requestPath(`/services/data/${r.url}`),
      r.richInput,
    );
    if (res.status >= 400) hasErrors = true;
    results.push({ statusCode: res.status, result: res.body });
  }
  ctx.sendJson(200, { hasErrors, results });
}

// ------------------------------------------------------------------ composite

const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

class UnresolvedReference extends Error {}

function resolvePath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    if (current === null || current === undefined) return undefined;
    current = part.startsWith("[")
      ? (current as unknown[])[Number(part.slice(1, -1))]
      : (current as Json)[part.slice(1)];
  }
  return current;
}

function substitute(value: unknown, refs: Map<string, unknown>): unknown {
  if (typeof value === "string") {
    return value.replace(REFERENCE, (_m, ref: string, path: string) => {
      if (!refs.has(ref))
        throw new UnresolvedReference(
          `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`,
        );
      const resolved = resolvePath(refs.get(ref), path);
      if (resolved === undefined || resolved === null || typeof resolved === "object") {
        throw new UnresolvedReference(
          `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`,
        );
      }
      return String(resolved);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, refs));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, refs)]));
  }
  return value;
}

async function compositeHandler(ctx: RequestContext): Promise<void> {
  const body = bodyObject(ctx);
  const requests = body.compositeRequest;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw restError(400, "JSON_PARSER_ERROR", "compositeRequest is required");
  }
  if (requests.length > COMPOSITE_LIMIT) {
    throw restError(
      400,
      "INVALID_BATCH_REQUEST",
      `Composite request can contain at most ${COMPOSITE_LIMIT} subrequests.`,
    );
  }
  const seen = new Set<string>();
  for (const r of requests as Json[]) {
    const ref = r.referenceId;
    if (typeof ref !== "string" || !/^[A-Za-z0-9_]+$/.test(ref)) {
      throw restError(
        400,
        "INVALID_INPUT",
        `referenceId must be alphanumeric and underscores: ${String(ref)}`,
      );
    }
    if (seen.has(ref))
      throw restError(400, "INVALID_INPUT", `Duplicate referenceId provided in the request: ${ref}`);
    seen.add(ref);
    if (typeof r.url !== "string" || !r.url.startsWith("/services/data/")) {
      throw restError(
        400,
        "INVALID_INPUT",
        `The url of a subrequest must start with /services/data/vXX.X/: ${String(r.url)}`,
      );
    }
  }
  const allOrNone = body.allOrNone === true;
  const tx = allOrNone ? ctx.org.store.begin() : undefined;
  const refs = new Map<string, unknown>();
  const out: Json[] = [];
  let failedAt = -1;
  for (const [index, r] of (requests as Json[]).entries()) {
    const referenceId = String(r.referenceId);
    if (allOrNone && failedAt >= 0) {
      out.push({
        body: [{ errorCode: "PROCESSING_HALTED", message: HALTED_MESSAGE }],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId,
      });
      continue;
    }
    let url: string;
    let payload: unknown;
    try {
      url = substitute(r.url, refs) as string;
      payload = substitute(r.body, refs);
    } catch (e) {
      if (!(e instanceof UnresolvedReference)) throw e;
      out.push({
        body: [{ errorCode: "PROCESSING_HALTED", message: e.message }],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId,
      });
      if (allOrNone) failedAt = index;
      continue;
    }
    const headers = (r.httpHeaders && typeof r.httpHeaders === "object" ? r.httpHeaders : {}) as Record<
      string,
      string
    >;
    const res = await subrequest(
      ctx,
      String(r.method ?? "GET").toUpperCase(),
      requestPath(url),
      payload,
      headers,
    );
    if (res.status < 400) refs.set(referenceId, res.body);
    else if (allOrNone && failedAt < 0) failedAt = index;
    out.push({ body: res.body, httpHeaders: res.headers, httpStatusCode: res.status, referenceId });
  }
  if (tx) {
    if (failedAt >= 0) {
      tx.rollback();
      for (const [i, item] of out.entries()) {
        if (i !== failedAt && (item.httpStatusCode as number) < 400) {
          out[i] = {
            body: [{ errorCode: "PROCESSING_HALTED", message: HALTED_MESSAGE }],
            httpHeaders: {},
            httpStatusCode: 400,
            referenceId: item.referenceId,
          };
        }
      }
    } else tx.commit();
  }
  ctx.sendJson(200, { compositeResponse: out });
}

// ------------------------------------------------------------------ sObject Tree

interface TreeItem {
  def: ObjectDef;
  referenceId: string;
  values: Json;
  children: Array<{ field: string; items: TreeItem[] }>;
}

function parseTree(
  ctx: RequestContext,
  records: Json[],
  expected: ObjectDef | undefined,
  depth: number,
  refs: Set<string>,
  count: { n: number },
): TreeItem[] {
  if (depth > 5) throw restError(400, "INVALID_INPUT", "Too many levels in the tree: at most 5 are allowed.");
  return records.map((record) => {
    count.n++;
    const attributes = (record.attributes ?? {}) as { type?: unknown; referenceId?: unknown };
    const def = typeof attributes.type === "string" ? ctx.org.schema.get(attributes.type) : undefined;
    if (!def || (expected && def !== expected)) {
      throw restError(400, "INVALID_INPUT", `The record type ${String(attributes.type)} is not valid here.`);
    }
    const referenceId = attributes.referenceId;
    if (typeof referenceId !== "string" || !referenceId) {
      throw restError(400, "INVALID_INPUT", "Include a reference ID for each record in the request.");
    }
    if (refs.has(referenceId))
      throw restError(400, "INVALID_INPUT", `Duplicate ReferenceId provided in the request: ${referenceId}`);
    refs.add(referenceId);
    const values: Json = {};
    const children: TreeItem["children"] = [];
    for (const [key, value] of Object.entries(record)) {
      if (key === "attributes") continue;
      const rel = def.childMap.get(key.toLowerCase());
      if (rel && value && typeof value === "object" && Array.isArray((value as Json).records)) {
        const childDef = ctx.org.schema.get(rel.childSObject);
        children.push({
          field: rel.field,
          items: parseTree(ctx, (value as { records: Json[] }).records, childDef, depth + 1, refs, count),
        });
      } else values[key] = value;
    }
    return { def, referenceId, values, children };
  });
}

function treeHandler(ctx: RequestContext): void {
  const def = objectOr404(ctx, ctx.params.type);
  const body = bodyObject(ctx);
  if (!Array.isArray(body.records))
    throw restError(400, "JSON_PARSER_ERROR", "The request body needs a records array.");
  const count = { n: 0 };
  const items = parseTree(ctx, body.records as Json[], def, 1, new Set(), count);
  if (count.n > COLLECTION_LIMIT) {
    throw restError(
      400,
      "INVALID_INPUT",
      `Too many records in the request: at most ${COLLECTION_LIMIT} are allowed.`,
    );
  }
  const tx = ctx.org.store.begin();
  const results: Json[] = [];
  const errors: Json[] = [];
  const insert = (list: TreeItem[], parent?: { field: string; id: string }) => {
    for (const item of list) {
      let id: string | undefined;
      try {
        id = ctx.org.store.insert(
          item.def.name,
          parent ? { ...item.values, [parent.field]: parent.id } : item.values,
          writeOpts(ctx),
        );
        results.push({ referenceId: item.referenceId, id });
      } catch (e) {
        if (e instanceof DmlException) errors.push({ referenceId: item.referenceId, errors: e.errors });
        else if (e instanceof MultipleMatchesError)
          errors.push({
            referenceId: item.referenceId,
            errors: [{ statusCode: "DUPLICATE_EXTERNAL_ID", message: e.message, fields: [] }],
          });
        else throw e;
      }
      if (id) for (const child of item.children) insert(child.items, { field: child.field, id });
    }
  };
  insert(items);
  if (errors.length) {
    tx.rollback();
    throw new HttpError(400, { hasErrors: true, results: errors });
  }
  tx.commit();
  ctx.sendJson(201, { hasErrors: false, results });
}

export function compositeRoutes(router: Router): void {
  const p = "/services/data/:version";
  router.post(`${p}/composite`, compositeHandler);
  router.post(`${p}/composite/batch`, batchHandler);
  router.post(`${p}/composite/tree/:type`, treeHandler);
  router.post(`${p}/composite/sobjects`, collectionCreate);
  router.patch(`${p}/composite/sobjects`, collectionUpdate);
  router.delete(`${p}/composite/sobjects`, collectionDelete);
  router.patch(`${p}/composite/sobjects/:type/:field`, collectionUpsert);
  router.get(`${p}/composite/sobjects/:type`, collectionRetrieve);
  router.post(`${p}/composite/sobjects/:type`, collectionRetrieve);
}

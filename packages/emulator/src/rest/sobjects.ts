// REST sObject resources: versions, resources, global describe, basic info, describe, layouts,
// record CRUD, external-id retrieve/upsert/delete, deleted/updated feeds.
import { JSON_TYPE, type RequestContext } from "../context.js";
import { formatDateTime, parseDateTime } from "../dates.js";
import { DmlException, dmlToRest, HttpError, notFoundError, restError } from "../errors.js";
import { isValidId, normalizeId } from "../ids.js";
import type { Router } from "../router.js";
import {
  describeLayout,
  describeObject,
  globalDescribeEntry,
  MASTER_RECORD_TYPE,
} from "../schema/describe.js";
import type { ObjectDef } from "../schema/types.js";
import { executeSoql } from "../soql/engine.js";
import { fullRecordJson, recordUrl, renderFullRecord } from "../soql/render.js";
import { MultipleMatchesError, type StoredRecord } from "../store.js";
import { objectBody, objectOr404, version, versionNumber } from "./util.js";

const RELEASES = ["Winter", "Spring", "Summer"] as const;

/** "Summer '14" for 31.0 … (three releases a year). */
export function releaseLabel(v: number): string {
  const idx = v - 31 + 2; // 31.0 = Summer '14
  const year = 14 + Math.floor(idx / 3);
  const season = RELEASES[idx % 3]!;
  return `${season} '${String(season === "Winter" ? year + 1 : year).padStart(2, "0")}`.replace(
    /'(\d+)$/,
    (_m, y) => `'${y}`,
  );
}

function versionsHandler(ctx: RequestContext) {
  ctx.sendJson(
    200,
    ctx.org
      .versions()
      .map((v) => ({ label: releaseLabel(Number(v)), url: `/services/data/v${v}`, version: v })),
  );
}

function resourcesHandler(ctx: RequestContext) {
  const p = `/services/data/v${version(ctx)}`;
  const user = ctx.user!;
  ctx.sendJson(200, {
    tooling: `${p}/tooling`,
    metadata: `${p}/metadata`,
    chatter: `${p}/chatter`,
    queryAll: `${p}/queryAll`,
    search: `${p}/search`,
    parameterizedSearch: `${p}/parameterizedSearch`,
    identity: `${ctx.org.loginUrl}/id/${ctx.org.organizationId}/${user.userId}`,
    sobjects: `${p}/sobjects`,
    query: `${p}/query`,
    composite: `${p}/composite`,
    limits: `${p}/limits`,
    recent: `${p}/recent`,
    jobs: `${p}/jobs`,
  });
}

function globalDescribeHandler(ctx: RequestContext, tooling = false): void {
  const v = version(ctx);
  if (notModified(ctx)) return;
  ctx.sendJson(200, {
    encoding: "UTF-8",
    maxBatchSize: 200,
    sobjects: ctx.org.schema
      .list()
      .filter((o) => (tooling ? o.tooling : true))
      .map((o) => globalDescribeEntry(o, v)),
  });
}

function recentItems(ctx: RequestContext, def: ObjectDef): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const nameField = def.nameFieldName;
  // The 10 most recent live rows, without copying the table.
  const ring: StoredRecord[] = [];
  for (const r of ctx.org.store.rows(def)) {
    if (r.IsDeleted) continue;
    ring.push(r);
    if (ring.length > 10) ring.shift();
  }
  for (const r of ring.reverse()) {
    const item: Record<string, unknown> = {
      attributes: { type: def.name, url: recordUrl(version(ctx), def.name, r.Id) },
      Id: r.Id,
    };
    if (nameField) item[nameField] = r[nameField] ?? null;
    out.push(item);
  }
  return out;
}

function basicInfoHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  ctx.sendJson(200, {
    objectDescribe: globalDescribeEntry(def, version(ctx)),
    recentItems: recentItems(ctx, def),
  });
}

/** Describes change only when the schema does: Last-Modified is the org's start; 304 when not modified since. */
function notModified(ctx: RequestContext): boolean {
  const since = ctx.header("if-modified-since");
  const lastModified = Math.floor(ctx.org.startedAt / 1000) * 1000;
  ctx.extraHeaders["Last-Modified"] = new Date(lastModified).toUTCString();
  if (since && Date.parse(since) >= lastModified) {
    ctx.send(304);
    return true;
  }
  return false;
}

function describeHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  if (notModified(ctx)) return;
  ctx.sendJson(200, describeObject(def, version(ctx), ctx.org.url));
}

function compactLayoutsHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  const fields = def.fields
    .filter((f) => f.nameField || f.name === "Id")
    .map((f) => ({
      editableForNew: f.createable,
      editableForUpdate: f.updateable,
      label: f.label,
      layoutComponents: [{ details: f.describe, displayLines: 1, tabOrder: 1, type: "Field", value: f.name }],
      placeholder: false,
      required: false,
    }));
  const id = null;
  ctx.sendJson(200, {
    compactLayouts: [
      {
        actions: [],
        fieldItems: fields,
        id,
        imageItems: [],
        label: `${def.label} Compact Layout`,
        name: "SYSTEM",
        objectType: def.name,
      },
    ],
    defaultCompactLayoutId: id,
    recordTypeCompactLayoutMappings: [],
  });
}

function emptyListHandler(key: string) {
  return (ctx: RequestContext) => {
    objectOr404(ctx, ctx.params.type);
    ctx.sendJson(200, key ? { [key]: {} } : []);
  };
}

function layoutsHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  const rt = ctx.params.recordTypeId;
  if (rt) {
    if (normalizeId(rt) !== MASTER_RECORD_TYPE) throw notFoundError();
    return ctx.sendJson(200, describeLayout(def, MASTER_RECORD_TYPE));
  }
  const layout = describeLayout(def);
  ctx.sendJson(200, {
    layouts: [layout],
    recordTypeMappings: [
      {
        available: true,
        defaultRecordTypeMapping: true,
        layoutId: layout.id,
        master: true,
        name: "Master",
        picklistsForRecordType: [],
        recordTypeId: MASTER_RECORD_TYPE,
        urls: {
          layout: `/services/data/v${version(ctx)}/sobjects/${def.name}/describe/layouts/${MASTER_RECORD_TYPE}`,
        },
      },
    ],
    recordTypeSelectorRequired: [false],
  });
}

function writeOpts(ctx: RequestContext) {
  return { userId: ctx.session?.userId, json: true };
}

function createHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  const body = objectBody(ctx);
  try {
    const id = ctx.org.store.insert(def.name, body, writeOpts(ctx));
    ctx.sendJson(201, { id, success: true, errors: [] }, { Location: recordUrl(version(ctx), def.name, id) });
  } catch (e) {
    if (e instanceof DmlException) throw dmlToRest(e);
    throw e;
  }
}

function parseFields(ctx: RequestContext): string[] | undefined {
  const f = ctx.query.get("fields");
  if (f === null) return undefined;
  return f
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function renderRecord(ctx: RequestContext, def: ObjectDef, rec: StoredRecord): Record<string, unknown> {
  const fields = parseFields(ctx);
  if (!fields?.length) return renderFullRecord(def, rec, version(ctx));
  const soql = `SELECT ${fields.join(", ")} FROM ${def.name} WHERE Id = '${rec.Id}'`;
  const res = executeSoql(ctx.org, soql, { now: ctx.org.now(), includeDeleted: true });
  const row = res.rows[0];
  if (!row) throw notFoundError();
  return res.render(row, { version: version(ctx) });
}

let lastStamp: string | undefined;
let lastHttpDate: string | undefined;
function lastModified(rec: StoredRecord): Record<string, string> {
  const stamp = String(rec.SystemModstamp ?? rec.LastModifiedDate ?? "");
  // Rows written together share a stamp: format it once.
  if (stamp !== lastStamp) {
    const ms = parseDateTime(stamp);
    lastStamp = stamp;
    lastHttpDate = Number.isNaN(ms) ? undefined : new Date(ms).toUTCString();
  }
  return lastHttpDate === undefined ? {} : { "Last-Modified": lastHttpDate };
}

function getRecordHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  const id = ctx.params.id!;
  const id18 = normalizeId(id);
  const rec = id18 && ctx.org.schema.forId(id18) === def ? ctx.org.store.get(id18) : undefined;
  if (!rec) throw notFoundError();
  if (rec.IsDeleted) throw restError(404, "ENTITY_IS_DELETED", "entity is deleted");
  const since = ctx.header("if-modified-since");
  const headers = lastModified(rec);
  if (since && headers["Last-Modified"] && Date.parse(since) >= Date.parse(headers["Last-Modified"])) {
    return ctx.send(304, undefined, headers);
  }
  if (!ctx.pretty && ctx.query.get("fields") === null) {
    // The common read: serialised straight from the stored row.
    return ctx.send(200, fullRecordJson(def, rec, version(ctx)), { "Content-Type": JSON_TYPE, ...headers });
  }
  ctx.sendJson(200, renderRecord(ctx, def, rec), headers);
}

function checkId(def: ObjectDef, id: string): string {
  if (!isValidId(id) || ctx_forId_mismatch(def, id)) {
    throw restError(400, "MALFORMED_ID", `${def.label} ID: id value of incorrect type: ${id}`, ["Id"]);
  }
  return normalizeId(id)!;
}

function ctx_forId_mismatch(def: ObjectDef, id: string): boolean {
  return def.keyPrefix !== null && id.slice(0, 3) !== def.keyPrefix;
}

function updateHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  const id18 = checkId(def, ctx.params.id!);
  const body = objectBody(ctx);
  const rec = ctx.org.store.get(id18);
  if (!rec) throw notFoundError();
  if (rec.IsDeleted) throw restError(404, "ENTITY_IS_DELETED", "entity is deleted");
  const ifUnmodified = ctx.header("if-unmodified-since");
  if (ifUnmodified) {
    const lm = lastModified(rec)["Last-Modified"];
    if (lm && Date.parse(lm) > Date.parse(ifUnmodified)) {
      throw restError(
        412,
        "PRECONDITION_FAILED",
        "The requested resource has been modified since the If-Unmodified-Since date.",
      );
    }
  }
  try {
    ctx.org.store.update(def.name, id18, body, writeOpts(ctx));
  } catch (e) {
    if (e instanceof DmlException) throw dmlToRest(e);
    throw e;
  }
  ctx.send(204);
}

function deleteHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  const id18 = checkId(def, ctx.params.id!);
  const rec = ctx.org.store.get(id18);
  if (!rec) throw notFoundError();
  if (rec.IsDeleted) throw restError(404, "ENTITY_IS_DELETED", "entity is deleted");
  try {
    ctx.org.store.delete(def.name, id18);
  } catch (e) {
    if (e instanceof DmlException) throw dmlToRest(e);
    throw e;
  }
  ctx.send(204);
}

function extField(ctx: RequestContext, def: ObjectDef): string {
  const name = ctx.params.field!;
  const f = def.fieldMap.get(name.toLowerCase());
  if (!f || !(f.externalId || f.idLookup || f.type === "id")) {
    throw restError(
      404,
      "NOT_FOUND",
      `Provided external ID field does not exist or is not accessible: ${name}`,
    );
  }
  return f.name;
}

function multiple(ctx: RequestContext, def: ObjectDef, ids: string[]): HttpError {
  return new HttpError(
    300,
    ids.map((id) => recordUrl(version(ctx), def.name, id)),
  );
}

/** The one record whose external id (or Id) field holds the URL's value: 300 with the matches' URLs when several do, 404 when none. */
function oneByExternalId(ctx: RequestContext, def: ObjectDef) {
  const matches = ctx.org.store.findBy(def.name, extField(ctx, def), ctx.params.value);
  if (matches.length > 1)
    throw multiple(
      ctx,
      def,
      matches.map((r) => r.Id),
    );
  if (!matches[0]) throw notFoundError();
  return matches[0];
}

function getByExtHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  // /sobjects/{T}/{id}/{blobField}: a base64 field's body.
  const blob = def.fieldMap.get(ctx.params.value?.toLowerCase() ?? "");
  if (blob?.type === "base64" && isValidId(ctx.params.field)) {
    const rec = ctx.org.store.find(def.name, ctx.params.field!);
    if (!rec) throw notFoundError();
    const data = Buffer.from(String(rec[blob.name] ?? ""), "base64");
    return ctx.send(200, data, { "Content-Type": "application/octetstream" });
  }
  ctx.sendJson(200, renderRecord(ctx, def, oneByExternalId(ctx, def)));
}

function upsertHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  const field = extField(ctx, def);
  const body = objectBody(ctx);
  const v = versionNumber(ctx);
  const value = ctx.params.value;
  if (ctx.query.get("updateOnly") === "true" && ctx.org.store.findBy(def.name, field, value).length === 0) {
    throw notFoundError();
  }
  try {
    const { id, created } = ctx.org.store.upsert(def.name, field, value, body, writeOpts(ctx));
    if (created) {
      ctx.sendJson(
        201,
        v >= 46 ? { id, errors: [], success: true, created: true } : { id, errors: [], success: true },
        {
          Location: recordUrl(version(ctx), def.name, id),
        },
      );
    } else if (v >= 46) ctx.sendJson(200, { id, errors: [], success: true, created: false });
    else ctx.send(204);
  } catch (e) {
    if (e instanceof MultipleMatchesError) throw multiple(ctx, def, e.ids);
    if (e instanceof DmlException) throw dmlToRest(e);
    throw e;
  }
}

function createWithIdHandler(ctx: RequestContext) {
  // POST /sobjects/{T}/Id (v37+): create, with Id treated as a null external id.
  if (ctx.params.field?.toLowerCase() !== "id") {
    throw restError(
      405,
      "METHOD_NOT_ALLOWED",
      "HTTP Method 'POST' not allowed. Allowed are GET,HEAD,PATCH,DELETE",
    );
  }
  createHandler(ctx);
}

function deleteByExtHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  ctx.org.store.delete(def.name, oneByExternalId(ctx, def).Id);
  ctx.send(204);
}

const MINUTE = 60_000;
const DAY = 86_400_000;

function replicationRange(ctx: RequestContext, maxDays: number): [number, number] {
  const startText = ctx.query.get("start");
  const endText = ctx.query.get("end");
  if (!startText || !endText) {
    throw restError(400, "MALFORMED_QUERY", `Missing required parameter: ${!startText ? "start" : "end"}`);
  }
  const start = parseDateTime(startText);
  const end = parseDateTime(endText);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    throw restError(
      400,
      "INVALID_REPLICATION_DATE",
      "Invalid date format: the start and end parameters must be ISO-8601 dateTimes",
    );
  }
  const now = ctx.org.now();
  if (end <= start)
    throw restError(400, "INVALID_REPLICATION_DATE", "EndDate must chronologically follow the StartDate");
  if (start < now - maxDays * DAY) {
    throw restError(400, "INVALID_REPLICATION_DATE", `startDate cannot be more than ${maxDays} days ago`);
  }
  return [start, Math.min(end, now)];
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}

function deletedHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  const [start, end] = replicationRange(ctx, 15);
  const covered = floorMinute(end);
  const deletedRecords: { id: string; deletedDate: string }[] = [];
  let earliest = Number.POSITIVE_INFINITY;
  for (const r of ctx.org.store.rows(def)) {
    if (!r.IsDeleted) continue;
    const at = ctx.org.store.deletedAt.get(r.Id);
    if (at === undefined) continue;
    earliest = Math.min(earliest, at);
    if (at >= start && at < covered) deletedRecords.push({ id: r.Id, deletedDate: formatDateTime(at) });
  }
  if (deletedRecords.length > 600_000)
    throw restError(400, "EXCEEDED_ID_LIMIT", "record limit reached. narrow the date range");
  ctx.sendJson(200, {
    deletedRecords,
    earliestDateAvailable: formatDateTime(
      floorMinute(Number.isFinite(earliest) ? earliest : ctx.org.now() - 15 * DAY),
    ),
    latestDateCovered: formatDateTime(covered),
  });
}

function updatedHandler(ctx: RequestContext) {
  const def = objectOr404(ctx, ctx.params.type);
  const [start, end] = replicationRange(ctx, 30);
  const covered = floorMinute(end);
  const ids: string[] = [];
  for (const r of ctx.org.store.rows(def)) {
    if (r.IsDeleted) continue;
    const ms = parseDateTime(String(r.SystemModstamp ?? ""));
    if (ms >= start && ms < covered) ids.push(r.Id);
  }
  if (ids.length > 600_000)
    throw restError(400, "EXCEEDED_ID_LIMIT", "record limit reached. narrow the date range");
  ctx.sendJson(200, { ids, latestDateCovered: formatDateTime(covered) });
}

function listviewsHandler(ctx: RequestContext) {
  objectOr404(ctx, ctx.params.type);
  ctx.sendJson(200, {
    done: true,
    listviews: [],
    nextRecordsUrl: null,
    size: 0,
    sobjectType: ctx.params.type,
  });
}

function recentHandler(ctx: RequestContext) {
  const out: Record<string, unknown>[] = [];
  for (const def of ctx.org.schema.list())
    if (!def.tooling && def.name !== "Organization") out.push(...recentItems(ctx, def));
  ctx.sendJson(200, out.slice(0, Number(ctx.query.get("limit") ?? 200)));
}

export function sobjectRoutes(router: Router): void {
  const p = "/services/data/:version";
  router.get("/services/data", versionsHandler, { auth: "none" });
  router.get(p, resourcesHandler);
  router.get(`${p}/sobjects`, (ctx) => globalDescribeHandler(ctx));
  router.get(`${p}/recent`, recentHandler);
  router.get(`${p}/sobjects/:type`, basicInfoHandler);
  router.post(`${p}/sobjects/:type`, createHandler);
  router.get(`${p}/sobjects/:type/describe`, describeHandler);
  router.get(`${p}/sobjects/:type/describe/layouts`, layoutsHandler);
  router.get(`${p}/sobjects/:type/describe/layouts/:recordTypeId`, layoutsHandler);
  router.get(`${p}/sobjects/:type/deleted`, deletedHandler);
  router.get(`${p}/sobjects/:type/updated`, updatedHandler);
  router.get(`${p}/sobjects/:type/listviews`, listviewsHandler);
  router.get(`${p}/sobjects/:type/describe/compactLayouts`, compactLayoutsHandler);
  router.get(`${p}/sobjects/:type/describe/approvalLayouts`, emptyListHandler("approvalLayouts"));
  router.get(`${p}/sobjects/:type/quickActions`, emptyListHandler(""));
  router.get(`${p}/sobjects/:type/:id`, getRecordHandler);
  router.patch(`${p}/sobjects/:type/:id`, updateHandler);
  router.delete(`${p}/sobjects/:type/:id`, deleteHandler);
  router.get(`${p}/sobjects/:type/:field/:value`, getByExtHandler);
  router.patch(`${p}/sobjects/:type/:field/:value`, upsertHandler);
  router.delete(`${p}/sobjects/:type/:field/:value`, deleteByExtHandler);
  router.post(`${p}/sobjects/:type/:field`, createWithIdHandler);
  router.get(`${p}/tooling/sobjects`, (ctx) => globalDescribeHandler(ctx, true));
}

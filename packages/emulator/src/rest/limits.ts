// /limits and /limits/recordCount.
import type { RequestContext } from "../context.js";
import type { Router } from "../router.js";

const STATIC_LIMITS: [string, number][] = [
  ["ActiveScratchOrgs", 3],
  ["AnalyticsExternalDataSizeMB", 40960],
  ["ConcurrentAsyncGetReportInstances", 200],
  ["ConcurrentSyncReportRuns", 20],
  ["DailyAnalyticsDataflowJobExecutions", 60],
  ["DailyApiRequests", 0],
  ["DailyAsyncApexExecutions", 250000],
  ["DailyBulkApiBatches", 15000],
  ["DailyBulkV2QueryFileStorageMB", 976562],
  ["DailyBulkV2QueryJobs", 10000],
  ["DailyDurableGenericStreamingApiEvents", 10000],
  ["DailyDurableStreamingApiEvents", 10000],
  ["DailyGenericStreamingApiEvents", 10000],
  ["DailyStandardVolumePlatformEvents", 10000],
  ["DailyStreamingApiEvents", 10000],
  ["DailyWorkflowEmails", 390],
  ["DataStorageMB", 5],
  ["FileStorageMB", 20],
  ["HourlyAsyncReportRuns", 1200],
  ["HourlyDashboardRefreshes", 200],
  ["HourlyDashboardResults", 5000],
  ["HourlyDashboardStatuses", 999999999],
  ["HourlyODataCallout", 10000],
  ["HourlySyncReportRuns", 500],
  ["HourlyTimeBasedWorkflow", 50],
  ["MassEmail", 10],
  ["PermissionTypes", 30000],
  ["SingleEmail", 15],
  ["StreamingApiConcurrentClients", 20],
];

function limitsHandler(ctx: RequestContext) {
  const out: Record<string, { Max: number; Remaining: number }> = {};
  for (const [name, max] of STATIC_LIMITS) {
    if (name === "DailyApiRequests") {
      out[name] = {
        Max: ctx.org.dailyApiLimit,
        Remaining: Math.max(0, ctx.org.dailyApiLimit - ctx.org.apiCalls),
      };
    } else out[name] = { Max: max, Remaining: Math.max(0, max - (ctx.org.usage[name] ?? 0)) };
  }
  ctx.sendJson(200, out);
}

function recordCountHandler(ctx: RequestContext) {
  const param = ctx.query.get("sObjects");
  const names = param
    ? param
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : ctx.org.schema.list().map((o) => o.name);
  const sObjects: { count: number; name: string }[] = [];
  for (const n of names) {
    const def = ctx.org.schema.get(n);
    if (!def) continue;
    const count = ctx.org.store.count(def.name);
    if (count > 0) sObjects.push({ count, name: def.name });
  }
  ctx.sendJson(200, { sObjects });
}

export function limitsRoutes(router: Router): void {
  router.get("/services/data/:version/limits", limitsHandler);
  router.get("/services/data/:version/limits/recordCount", recordCountHandler);
}

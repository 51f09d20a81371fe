import { bulkOf, type FaultRule } from "@sfkit/emulator";
import * as sfkit from "@sfkit/salesforce";
import { type Cell, operation, testName } from "../../src/matrix.js";
import { DELAY_MS, type Env, sleep, TIMEOUT_MS } from "./env.js";
import { newState, OPERATION_IMPLS } from "./operations.js";

const SERVER_UNAVAILABLE = [{ errorCode: "SERVER_UNAVAILABLE", message: "Server temporarily unavailable" }];

function ruleFor(cell: Cell, target: { method: string; path: string | RegExp }): FaultRule | undefined {
  const base = { method: target.method, path: target.path };
  switch (cell.fault) {
    case "503-once":
      return { ...base, status: 503, body: SERVER_UNAVAILABLE };
    case "503-retry-after":
      return { ...base, status: 503, body: SERVER_UNAVAILABLE, headers: { "Retry-After": "1" } };
    case "reset-before":
      return { ...base, drop: "before-response" };
    case "reset-mid-body":
      return { ...base, drop: "mid-body" };
    case "timeout":
      return { ...base, delayMs: DELAY_MS };
    case "html-500":
      return { ...base, html: true, status: 500 };
    case "malformed-json":
      return { ...base, status: 200, body: '{"id": "001', contentType: "application/json;charset=UTF-8" };
    case "403-limit":
      return {
        ...base,
        status: 403,
        body: [{ errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded." }],
      };
    case "401-expired":
      return { ...base, expireSession: true };
    default:
      return undefined;
  }
}

const jobIds = (env: Env): Set<string> =>
  new Set([...bulkOf(env.org).v2.jobs.keys(), ...bulkOf(env.org).v1.jobs.keys()]);

/** Runs one cell of the matrix and checks its defined behaviour; throws with a clear message otherwise. */
export async function runCell(env: Env, cell: Cell): Promise<void> {
  const impl = OPERATION_IMPLS[cell.operation];
  const expect = cell.expect;
  const name = testName(cell);
  const state = newState();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  const sf = env.client(impl.login ? { login: impl.login } : {});
  const isLogin = impl.login !== undefined;
  try {
    if (!isLogin || cell.fault === "401-expired") await sf.login();
    await impl.prepare?.(env, sf, state);
    const before = jobIds(env);
    let logins = 0;
    const historyStart = env.org.faults.history.length;
    if (cell.fault === "300-upsert") {
      env.org.insert("Rel__c", { Name: "one", Code__c: state.marker });
      env.org.insert("Rel__c", { Name: "two", Code__c: state.marker });
    } else if (cell.fault === "refused") {
      await env.stop();
    } else if (cell.fault === "401-expired") {
      if (isLogin) env.org.sessions.expire();
      else env.org.faults.next({ ...impl.target, expireSession: true });
      // A pass-through rule that only counts the login requests: the session is renewed once.
      env.org.faults.next({ method: "POST", path: "/services/Soap/u/", times: 1000 });
      env.org.faults.next({ method: "POST", path: "/services/oauth2/token", times: 1000 });
    } else {
      const rule = ruleFor(cell, impl.target);
      if (!rule) throw new Error(`${name}: no fault rule`);
      env.org.faults.next(rule);
    }
    let result: unknown;
    let error: unknown;
    try {
      result = await impl.run(env, sf, state);
    } catch (e) {
      error = e;
    }
    if (cell.fault === "401-expired") {
      const applied = env.org.faults.history.slice(historyStart);
      logins = applied.filter((h) => h.rule.times === 1000).length;
      if (!isLogin && !applied.some((h) => h.rule.expireSession))
        throw new Error(`${name}: the session was never expired (check the target)`);
      if (logins !== 1)
        throw new Error(
          `${name}: expected exactly one new login, saw ${logins} (${JSON.stringify(env.org.faults.history.slice(-4))})`,
        );
      env.org.faults.clear();
    }
    const pendingFault = env.org.faults.pending;
    env.org.faults.clear();
    // Let the server finish the delayed request before counting what it wrote.
    if (cell.fault === "timeout" && !operation(cell.operation).idempotent)
      await sleep(DELAY_MS - TIMEOUT_MS + 300);

    if (expect.ok) {
      if (error !== undefined) {
        throw new Error(`${name}: expected success, got ${describe(error)}`);
      }
      if (pendingFault && cell.fault !== "refused")
        throw new Error(`${name}: the fault was never hit (check the target)`);
      if (!expect.unverified) await impl.verify(env, state, result);
    } else {
      if (error === undefined) throw new Error(`${name}: expected ${expect.error}, but it succeeded`);
      const cls = (sfkit as unknown as Record<string, unknown>)[expect.error] as
        | (new (
            ...args: never[]
          ) => Error)
        | undefined;
      if (!cls) throw new Error(`${name}: unknown error class ${expect.error}`);
      if (!(error instanceof cls))
        throw new Error(`${name}: expected ${expect.error}, got ${describe(error)}`);
      if (expect.errorCode) {
        const codes = [(error as { errorCode?: string }).errorCode, (error as { code?: string }).code];
        if (!codes.includes(expect.errorCode))
          throw new Error(`${name}: expected code ${expect.errorCode}, got ${describe(error)}`);
      }
      if (cell.fault === "refused" && (error as { notSent?: boolean }).notSent !== true)
        throw new Error(`${name}: a refused connection must say nothing was sent: ${describe(error)}`);
      if (!(error as Error).message || (error as Error).message.length < 10)
        throw new Error(`${name}: the error message says nothing: ${describe(error)}`);
    }

    if (expect.records !== undefined && impl.records) {
      const n = impl.records(env, state);
      if (n !== expect.records) throw new Error(`${name}: expected ${expect.records} record(s), found ${n}`);
    }

    if (cell.fault === "refused") {
      await env.start();
      // The same client works again once the org is back (a new login: sessions did not survive).
      const again = await impl.run(env, sf, state);
      await impl.verify(env, state, again);
    }

    if (impl.rows !== undefined && cell.fault !== "refused") {
      // Bulk: job ids never lost; nothing written twice.
      const created = [...jobIds(env)].filter((id) => !before.has(id));
      const written = env.org.query(
        `SELECT COUNT() FROM Contact WHERE LastName = '${state.marker}'`,
      ).totalSize;
      if (written > impl.rows - 1)
        throw new Error(`${name}: ${written} rows written for ${impl.rows - 1} good rows`);
      if (error !== undefined && created.length > 0) {
        const known = new Set<string>();
        const e = error as { jobId?: string; jobs?: { id?: string }[]; jobIds?: string[] };
        if (e.jobId) known.add(e.jobId);
        for (const j of e.jobs ?? []) if (j.id) known.add(j.id);
        for (const id of e.jobIds ?? []) known.add(id);
        const lost = created.filter((id) => !known.has(id) && !known.has(id.slice(0, 15)));
        if (lost.length)
          throw new Error(`${name}: job id(s) ${lost.join(", ")} missing from ${describe(error)}`);
      }
    }
    await sleep(0);
    if (unhandled.length) throw new Error(`${name}: unhandled rejection ${describe(unhandled[0])}`);
  } finally {
    process.off("unhandledRejection", onUnhandled);
    env.org.faults.clear();
    await sf.close().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code =
      (error as { errorCode?: string; code?: string }).errorCode ?? (error as { code?: string }).code;
    return `${error.constructor.name}${code ? `(${code})` : ""}: ${error.message}`;
  }
  return String(error);
}

// The fault matrix: one source for the tests (test/matrix-*.test.ts run every cell) and for
// RELIABILITY.md (written from this table; test/table.test.ts fails when it is stale).

export type FaultId =
  | "503-once"
  | "503-retry-after"
  | "refused"
  | "reset-before"
  | "reset-mid-body"
  | "timeout"
  | "401-expired"
  | "html-500"
  | "malformed-json"
  | "403-limit"
  | "300-upsert";

export type OperationId =
  | "login-soap"
  | "login-oauth"
  | "crud-create"
  | "crud-read"
  | "crud-update"
  | "crud-upsert"
  | "crud-delete"
  | "query-paging"
  | "search"
  | "apex-get"
  | "apex-post"
  | "bulk2-upload"
  | "bulk2-poll"
  | "bulk2-results"
  | "bulk1-upload"
  | "bulk1-poll"
  | "bulk1-results";

export interface Fault {
  id: FaultId;
  label: string;
  /** How the emulator produces it. */
  how: string;
}

export interface Operation {
  id: OperationId;
  label: string;
  /** The request the fault hits. */
  request: string;
  /** Whether core may repeat that request (GET/PUT/DELETE, PATCH marked idempotent). */
  idempotent: boolean;
}

/** What must happen. */
export type Expectation =
  | {
      ok: true;
      records?: number;
      note?: string /** success, but the result is not the normal one */;
      unverified?: true;
    }
  | { ok: false; error: string; errorCode?: string; records?: number; note?: string };

export interface Cell {
  operation: OperationId;
  fault: FaultId;
  expect: Expectation;
}

export const FAULTS: readonly Fault[] = [
  { id: "503-once", label: "503 once", how: "`{ status: 503, times: 1 }`" },
  {
    id: "503-retry-after",
    label: "503 + Retry-After",
    how: '`{ status: 503, headers: { "Retry-After": "1" } }`',
  },
  {
    id: "refused",
    label: "connection refused",
    how: "emulator closed (port kept), restarted on the same port with `persist`",
  },
  { id: "reset-before", label: "reset before response", how: '`{ drop: "before-response" }`' },
  {
    id: "reset-mid-body",
    label: "reset mid-body",
    how: '`{ drop: "mid-body" }` (request handled, half the answer sent)',
  },
  {
    id: "timeout",
    label: "time-out",
    how: "`{ delayMs: 2000 }` against `timeout: 1000` (request handled after the delay)",
  },
  { id: "401-expired", label: "401 expired session", how: "`{ expireSession: true }`" },
  { id: "html-500", label: "HTML 500 maintenance", how: "`{ html: true, status: 500 }`" },
  {
    id: "malformed-json",
    label: "malformed JSON",
    how: '`{ status: 200, body: "{\\"id\\": \\"001", contentType: JSON }`',
  },
  {
    id: "403-limit",
    label: "403 REQUEST_LIMIT_EXCEEDED",
    how: '`{ status: 403, body: [{ errorCode: "REQUEST_LIMIT_EXCEEDED" }] }`',
  },
  {
    id: "300-upsert",
    label: "300 on upsert",
    how: "two records share a non-unique external id (real emulator behaviour)",
  },
];

export const OPERATIONS: readonly Operation[] = [
  { id: "login-soap", label: "login (SOAP)", request: "POST /services/Soap/u/NN.0", idempotent: false },
  {
    id: "login-oauth",
    label: "login (OAuth password)",
    request: "POST /services/oauth2/token",
    idempotent: false,
  },
  { id: "crud-create", label: "sObject create", request: "POST sobjects/Contact", idempotent: false },
  { id: "crud-read", label: "sObject read", request: "GET sobjects/Contact/{id}", idempotent: true },
  { id: "crud-update", label: "sObject update", request: "PATCH sobjects/Contact/{id}", idempotent: true },
  {
    id: "crud-upsert",
    label: "sObject upsert",
    request: "PATCH sobjects/Rel__c/Code__c/{value}",
    idempotent: true,
  },
  { id: "crud-delete", label: "sObject delete", request: "DELETE sobjects/Contact/{id}", idempotent: true },
  {
    id: "query-paging",
    label: "query paging",
    request: "GET query/01g…-200 (2nd page of 3)",
    idempotent: true,
  },
  { id: "search", label: "search (SOSL)", request: "GET search?q=…", idempotent: true },
  { id: "apex-get", label: "Apex REST GET", request: "GET /services/apexrest/Rel/…", idempotent: true },
  { id: "apex-post", label: "Apex REST POST", request: "POST /services/apexrest/Rel", idempotent: false },
  {
    id: "bulk2-upload",
    label: "Bulk 2.0 upload",
    request: "PUT jobs/ingest/{id}/batches (streamed)",
    idempotent: false,
  },
  { id: "bulk2-poll", label: "Bulk 2.0 poll", request: "GET jobs/ingest/{id}", idempotent: true },
  {
    id: "bulk2-results",
    label: "Bulk 2.0 results",
    request: "GET jobs/ingest/{id}/successfulResults/",
    idempotent: true,
  },
  {
    id: "bulk1-upload",
    label: "Bulk 1.0 upload",
    request: "POST /services/async/NN.0/job/{id}/batch",
    idempotent: false,
  },
  {
    id: "bulk1-poll",
    label: "Bulk 1.0 poll",
    request: "GET /services/async/NN.0/job/{id}/batch",
    idempotent: true,
  },
  {
    id: "bulk1-results",
    label: "Bulk 1.0 results",
    request: "GET /services/async/NN.0/job/{id}/batch/{id}/result",
    idempotent: true,
  },
];

const WRITE_OPS: Partial<Record<OperationId, true>> = {
  "crud-create": true,
  "apex-post": true,
};
const LOGIN_OPS: Partial<Record<OperationId, true>> = { "login-soap": true, "login-oauth": true };
const BULK_OPS: Partial<Record<OperationId, true>> = {
  "bulk2-upload": true,
  "bulk2-poll": true,
  "bulk2-results": true,
  "bulk1-upload": true,
  "bulk1-poll": true,
  "bulk1-results": true,
};

/** The defined behaviour of one pair, from core's rules; `overrides` holds the deliberate exceptions. */
function expectationFor(op: Operation, fault: FaultId): Expectation | undefined {
  const override = OVERRIDES[`${op.id}/${fault}`];
  if (override !== undefined) return override ?? undefined;
  if (fault === "300-upsert") return undefined;
  const written = WRITE_OPS[op.id] ? 1 : undefined;
  const notWritten = WRITE_OPS[op.id] ? 0 : undefined;
  const withRecords = (e: Expectation, n: number | undefined): Expectation =>
    n === undefined ? e : { ...e, records: n };
  const login = LOGIN_OPS[op.id];
  const bulk = BULK_OPS[op.id];
  switch (fault) {
    case "503-once":
    case "503-retry-after":
      return op.idempotent
        ? withRecords({ ok: true, note: "retried once" }, written)
        : withRecords(
            login
              ? { ok: false, error: "SalesforceAuthenticationFailed", note: "login not replayed" }
              : { ok: false, error: "SalesforceGeneralError", note: "POST not replayed" },
            notWritten,
          );
    case "refused":
      return withRecords(
        {
          ok: false,
          error: "SalesforceConnectionError",
          errorCode: "ECONNREFUSED",
          note: "retried (nothing was sent), then the same client works after the restart",
        },
        notWritten,
      );
    case "reset-before":
      return op.idempotent
        ? withRecords({ ok: true, note: "retried" }, written)
        : withRecords({ ok: false, error: "SalesforceConnectionError", note: "not replayed" }, notWritten);
    case "reset-mid-body":
      return op.idempotent
        ? withRecords({ ok: true, note: "retried" }, written)
        : withRecords(
            {
              ok: false,
              error: "SalesforceConnectionError",
              note: "handled by the server, answer lost, not replayed",
            },
            written,
          );
    case "timeout":
      return op.idempotent
        ? withRecords({ ok: true, note: "per-attempt time-out, retried" }, written)
        : withRecords(
            {
              ok: false,
              error: "SalesforceTimeoutError",
              note: "handled by the server after the client gave up, not replayed",
            },
            written,
          );
    case "401-expired":
      return withRecords(
        { ok: true, note: login ? "logged in again once" : "session refreshed once, request re-sent" },
        written,
      );
    case "html-500":
      return withRecords(
        {
          ok: false,
          error: login ? "SalesforceAuthenticationFailed" : "SalesforceGeneralError",
          note: "page text in the message",
        },
        notWritten,
      );
    case "malformed-json":
      return withRecords(
        login
          ? {
              ok: false,
              error: "SalesforceAuthenticationFailed",
              note: "says the answer is not a login response",
            }
          : { ok: false, error: "SalesforceMalformedResponse", note: "body excerpt in the message" },
        notWritten,
      );
    case "403-limit":
      return withRecords(
        login
          ? { ok: false, error: "SalesforceAuthenticationFailed" }
          : { ok: false, error: "SalesforceRefusedRequest", errorCode: "REQUEST_LIMIT_EXCEEDED" },
        notWritten,
      );
  }
  void bulk;
  return undefined;
}

/** Pairs whose behaviour differs from the general rule (null: not applicable). */
const POLL_TOLERATES_5XX: Expectation = {
  ok: true,
  note: "a 5xx while polling is transient: the next poll goes on (bulk F15)",
};
const APEX_TEXT = (records?: number): Expectation => ({
  ok: true,
  unverified: true,
  note: "documented: a JSON-labelled Apex body that is not JSON is returned as text",
  ...(records === undefined ? {} : { records }),
});

const OVERRIDES: Record<string, Expectation | null> = {
  "bulk2-poll/html-500": POLL_TOLERATES_5XX,
  "bulk1-poll/html-500": POLL_TOLERATES_5XX,
  "apex-get/malformed-json": APEX_TEXT(),
  "apex-post/malformed-json": APEX_TEXT(0),
  "crud-upsert/300-upsert": {
    ok: false,
    error: "SalesforceMoreThanOneRecord",
    note: "the matching record URLs in `content`; nothing written",
  },
};

export const MATRIX: readonly Cell[] = OPERATIONS.flatMap((op) =>
  FAULTS.flatMap((fault) => {
    const expect = expectationFor(op, fault.id);
    return expect ? [{ operation: op.id, fault: fault.id, expect }] : [];
  }),
);

export const operation = (id: OperationId): Operation => OPERATIONS.find((o) => o.id === id)!;
export const fault = (id: FaultId): Fault => FAULTS.find((f) => f.id === id)!;

/** The name of the test that proves a cell. */
export const testName = (cell: Cell): string =>
  `${operation(cell.operation).label} × ${fault(cell.fault).label}`;

export function describeExpectation(e: Expectation): string {
  const parts = [e.ok ? "succeeds" : `\`${e.error}\`${e.errorCode ? ` (${e.errorCode})` : ""}`];
  if (e.note) parts.push(e.note);
  if (e.records !== undefined) parts.push(`${e.records} record${e.records === 1 ? "" : "s"} written`);
  return parts.join("; ");
}

// The parts of RELIABILITY.md that are not the fault matrix. Edit here, then regenerate.
import type { Defect } from "./render.js";

export const DEFECTS: readonly Defect[] = [
  {
    where: "@sfkit/bulk",
    what: "An error while polling or reading results (403, malformed answer, a body cut mid-way) lost the job ids: only upload errors carried `jobs`. Every error after a job exists now carries `jobId` and `jobs` (Bulk 1.0 and 2.0), so the caller can resume instead of loading the data twice.",
    test: "Bulk 2.0 poll × 403 REQUEST_LIMIT_EXCEEDED (and every bulk row of the matrix)",
  },
  {
    where: "@sfkit/bulk",
    what: "A result body that was not CSV/JSON surfaced as a raw `CsvError` / `SyntaxError`; now `SalesforceMalformedResponse` (a cut stream: `SalesforceConnectionError`), with the job ids.",
    test: "Bulk 2.0 results × malformed JSON, Bulk 1.0 results × malformed JSON",
  },
  {
    where: "@sfkit/bulk",
    what: "A result body cut mid-way failed the whole call although the results are a GET that can be read again; they are now read again (twice at most), from the first row, without duplicates.",
    test: "Bulk 1.0 results × reset mid-body, Bulk 2.0 results × reset mid-body",
  },
  {
    where: "@sfkit/core",
    what: 'A login answer cut mid-body (or timed out while reading) was handed to the auth strategy as an empty answer, which reported a misleading `SalesforceAuthenticationFailed` ("no sessionId"); it is now the `SalesforceConnectionError` it is.',
    test: "login (SOAP) × reset mid-body, login (OAuth password) × reset mid-body",
  },
  {
    where: "@sfkit/core",
    what: "An idempotent request whose response body was cut mid-way was not retried (only failures before the response were); it is now retried within `retry.limit`, like any other network failure. Streamed responses are not (the caller owns the stream).",
    test: "sObject read × reset mid-body (and every idempotent row of that column)",
  },
  {
    where: "@sfkit/emulator",
    what: '`drop: "mid-body"` had no effect on streamed answers (Bulk result CSVs), so a cut result body could not be tested; it now cuts those too.',
    test: "Bulk 2.0 results × reset mid-body",
  },
];

export const OTHER = `
## Data

| property | test |
|---|---|
| (filled in below) | |
`;

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
  {
    where: "@sfkit/emulator",
    what: "`close()` with `persist` saved the file first and then closed the connections: records created (and acknowledged) while closing were lost, and the restarted org handed their ids out again.",
    test: "load.test.ts › all accounted for with 10 in flight, heap flat, across an emulator restart",
  },
  {
    where: "@sfkit/core",
    what: "`escapeXml` left a carriage return raw; a conforming XML parser (Salesforce's) turns it into a line feed, so a password with CR could never log in over SOAP. CR is now written `&#13;`.",
    test: "properties.test.ts › escapeXml leaves no raw carriage return",
  },
  {
    where: "@sfkit/rest (and docs)",
    what: '`formatSoql("... {}", v)` (simple-salesforce\'s syntax, which the migration guide promised) sent the braces verbatim: a `MALFORMED_QUERY` from the server. `formatSoql` now refuses braces outside quotes and non-object params with a `ConfigurationError` that says to write `:name`; the guide is corrected.',
    test: "bad-input.test.ts › simple-salesforce's {} placeholder in formatSoql",
  },
];

export const OTHER = `
## Data

| property | how it is checked | test |
|---|---|---|
| bulk: successful + failed + unprocessed = input rows | every bulk cell of the matrix (5 rows, one invalid): 4 successful + 1 failed on success | \`Bulk 2.0 … × …\`, \`Bulk 1.0 … × …\` |
| bulk: job ids never lost | every job the emulator created during a failed cell is on the error (\`jobId\`, \`jobs\`, \`jobIds\`) | same |
| bulk: nothing written twice | \`COUNT()\` in the emulator's store ≤ the good rows (= the successful rows on success) | same |
| POST never replayed | the store holds exactly the \`records\` of the cell (0 when the server never handled it, 1 when it did and the answer was lost) | \`sObject create × …\`, \`Apex REST POST × …\` |
| 10,000 creates, 10 in flight | every create resolves to an id or a typed error (only \`SalesforceConnectionError\`, at most 10, for answers lost in the restart), ids unique, the store holds every success and nothing twice, heap growth (after GC) under 100 MB | \`load.test.ts › all accounted for with 10 in flight, heap flat, across an emulator restart\` |
| the client survives an emulator restart | the org is closed and restarted on the same port (with \`persist\`) at create 6,000 while the workers keep sending; the same client logs in again and carries on | same; and every \`× connection refused\` cell |
| no handle left open | a child process runs 503, reset, time-out, 403, HTML and refused calls, closes, and must exit by itself with code 0 | \`exit.test.ts › runs 503, resets, time-outs, 403, HTML and refused calls, closes, and exits 0 without being killed\` |

## Bad input and security

| property | test |
|---|---|
| core \`escapeXml\` → emulator XML parser: exact text, one element, nothing injected (\`& < > " ' ]]> <!-- CDATA CR LF\`, unicode) | \`properties.test.ts › core's escapeXml read by the emulator's parser gives the text back exactly, and no element is injected\` |
| emulator \`escapeXml\` → core \`parseXml\`/\`xmlText\`: exact text | \`properties.test.ts › the emulator's escapeXml read by core's parseXml gives the text back exactly\` |
| SOAP login envelope: username and password are text, never markup | \`properties.test.ts › the SOAP login envelope carries any username and password as text, never as markup\` |
| a user with any XML-special password logs in over SOAP; one character more does not | \`properties.test.ts › a user whose password is any XML text logs in over SOAP; …\` |
| bulk CSV writer → emulator → results reader: exact text (quotes, delimiters, CR/LF/CRLF, spaces, unicode) | \`properties.test.ts › Bulk 2.0: any text reaches the store exactly, and the results echo it exactly\` |
| Bulk 1.0 CSV batches: exact text | \`properties.test.ts › Bulk 1.0 (CSV batches): any text reaches the store exactly\` |
| Bulk 2.0 query CSV reader: exact text | \`properties.test.ts › Bulk 2.0 query: any stored text is read back exactly\` |
| \`encodeQuery\`: every key and value decoded exactly once by the emulator | \`properties.test.ts › encodeQuery: the emulator decodes every key and value exactly once\` |
| \`buildUrl\`: the query appended once, after an existing one | \`properties.test.ts › buildUrl: a query is appended once, after any query the path already has\` |
| external id path: any value is one segment; upsert + get find that one record | \`properties.test.ts › an external id with any characters upserts and reads back that one record\` |
| SOQL literals and SOSL escaping round trip through the emulator's parsers | \`packages/rest/test/properties.test.ts\` (not duplicated here) |
| canaries (password, token, session ids, refresh token, client secret, private key) in no error (message, stack, causes, fields, JSON, inspect) and no log line, for SOAP, OAuth password, refresh token, JWT and direct sessions, under login and call faults, including servers that echo the secret | \`secrets.test.ts › no secret in any error or log line of any strategy, whatever fails\` |
| the CLI prints no secret (login, display, list, query, faults, a bad CSV file holding the token, \`SFKIT_DEBUG=1\`); \`orgs.json\` is owner-only (0600) | \`secrets.test.ts › prints no secret, in success or failure, with SFKIT_DEBUG on; its config file is 0600\` |
| TLS: without \`ca\` a self-signed server is refused with an error that says to pass \`ca\`; with \`ca\` it works (node-fetch and undici transports) | \`secrets.test.ts › default transport: …\`, \`› undici transport: …\` |
| malformed options, credentials, SOQL parameters, dates, records, CSV files, bulk options, job ids, Apex methods: a typed error naming the culprit | \`bad-input.test.ts\` (one test per input, 33) |

## Not covered, and why

- *Connection refused* for the Bulk poll and results phases is produced by closing the org before
  the call (job creation is refused); the emulator does not persist bulk jobs across a restart, so a
  restart in the middle of a job cannot be resumed there. Job ids on every later-phase error are
  covered by the other faults.
- A Bulk result *time-out* cell does not wait for the delayed request: it is a GET.
- XML 1.0 cannot carry C0 control characters other than TAB, LF and CR (not even as character
  references); the XML properties do not generate them.
`;

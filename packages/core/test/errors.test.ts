import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SalesforceError,
  SalesforceExpiredSession,
  SalesforceGeneralError,
  SalesforceMalformedRequest,
  SalesforceMalformedResponse,
  SalesforceMoreThanOneRecord,
  SalesforceRefusedRequest,
  SalesforceResourceNotFound,
  createClient,
} from "../src/index.js";
import { json, startTestServer } from "./helpers/test-server.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
let client: ReturnType<typeof createClient>;

beforeAll(async () => {
  server = await startTestServer((_req, res) => json(res, 200, {}));
  client = createClient({ instanceUrl: server.url, sessionId: "s", retry: false });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function failWith(status: number, body: string, contentType: string) {
  server.setHandler((_req, res) => {
    res.writeHead(status, { "content-type": contentType });
    res.end(body);
  });
  try {
    await client.request({ path: "sobjects/Account/001" });
  } catch (error) {
    return error as SalesforceError;
  }
  throw new Error("the request did not fail");
}

describe("one response parser: status → class (API.md table)", () => {
  it.each([
    [300, SalesforceMoreThanOneRecord],
    [400, SalesforceMalformedRequest],
    [401, SalesforceExpiredSession],
    [403, SalesforceRefusedRequest],
    [404, SalesforceResourceNotFound],
    [405, SalesforceGeneralError],
    [500, SalesforceGeneralError],
  ])("%i → %o", async (status, type) => {
    const error = await failWith(
      status,
      JSON.stringify([{ message: "m", errorCode: "CODE" }]),
      "application/json",
    );
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(SalesforceError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status, method: "GET", errorCode: "CODE" });
    expect(error.url).toBe(`${server.url}/services/data/v62.0/sobjects/Account/001`);
  });

  it("a 300 carries the matching record URLs", async () => {
    const urls = ["/services/data/v62.0/sobjects/Contact/003A", "/services/data/v62.0/sobjects/Contact/003B"];
    const error = await failWith(300, JSON.stringify(urls), "application/json");
    expect((error as SalesforceMoreThanOneRecord).records).toEqual(urls);
  });

  it("a 403 REQUEST_LIMIT_EXCEEDED is a refusal, not an expired session (F18)", async () => {
    const error = await failWith(
      403,
      '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]',
      "application/json",
    );
    expect(error).toBeInstanceOf(SalesforceRefusedRequest);
    expect(error).not.toBeInstanceOf(SalesforceExpiredSession);
    expect(error.code).toBe("REQUEST_LIMIT_EXCEEDED");
    expect(error.message).toBe(
      "GET /services/data/v62.0/sobjects/Account/001 → 403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.",
    );
  });
});

describe("every error body shape of salesforce-wire.md", () => {
  it.each([
    [
      "REST array",
      '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]',
      "application/json",
      "INVALID_SESSION_ID",
      "Session expired or invalid",
    ],
    [
      "routing 404 in the other key order",
      '[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]',
      "application/json",
      "NOT_FOUND",
      "The requested resource does not exist",
    ],
    ["single object", '{"errorCode":"NOT_FOUND","message":"gone"}', "application/json", "NOT_FOUND", "gone"],
    [
      "OAuth",
      '{"error":"invalid_grant","error_description":"authentication failure"}',
      "application/json",
      "invalid_grant",
      "authentication failure",
    ],
    [
      "Bulk 1.0 XML",
      '<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>InvalidBatch</exceptionCode><exceptionMessage>Records not processed &amp; lost</exceptionMessage></error>',
      "application/xml",
      "InvalidBatch",
      "Records not processed & lost",
    ],
    [
      "Bulk 1.0 JSON",
      '{"exceptionCode":"InvalidJob","exceptionMessage":"Invalid job id"}',
      "application/json",
      "InvalidJob",
      "Invalid job id",
    ],
    [
      "SOAP fault",
      '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
      "text/xml",
      "INVALID_LOGIN",
      "INVALID_LOGIN: Invalid username, password, security token; or user locked out.",
    ],
  ])("%s", async (_name, body, type, errorCode, message) => {
    const error = await failWith(400, body, type);
    expect(error.errorCode).toBe(errorCode);
    expect(error.message).toContain(message);
  });

  it("an HTML maintenance page becomes a typed error with a short text excerpt, not a parser crash (F17)", async () => {
    const page = `<!DOCTYPE html><html><head><title>Salesforce - Down For Maintenance</title><style>body{}</style></head><body><h1>Down for maintenance</h1><p>${"We will be back soon. ".repeat(200)}</p></body></html>`;
    const error = await failWith(503, page, "text/html");
    expect(error).toBeInstanceOf(SalesforceGeneralError);
    expect(error.status).toBe(503);
    expect(error.message).toContain("Down For Maintenance");
    expect(error.message).not.toContain("<html");
    expect(error.excerpt!.length).toBeLessThanOrEqual(501);
  });

  it("an HTML page labelled as JSON is still read as HTML (F17)", async () => {
    const error = await failWith(
      502,
      "<html><head><title>Bad Gateway</title></head><body>nginx</body></html>",
      "application/json",
    );
    expect(error.message).toContain("Bad Gateway");
  });

  it("a plain-text proxy error becomes a typed error", async () => {
    const error = await failWith(407, "Proxy Authentication Required", "text/plain");
    expect(error).toBeInstanceOf(SalesforceGeneralError);
    expect(error.message).toContain("Proxy Authentication Required");
  });

  it("a 200 whose JSON is malformed is a SalesforceMalformedResponse with an excerpt", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"totalSize": 1, "records": [');
    });
    const error = await client.request({ path: "query" }).catch((e: unknown) => e as SalesforceError);
    expect(error).toBeInstanceOf(SalesforceMalformedResponse);
    expect((error as SalesforceError).excerpt).toContain('"totalSize"');
  });
});

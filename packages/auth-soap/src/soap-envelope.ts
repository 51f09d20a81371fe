import { escapeXml } from "@sfkit/core";

/** What goes into a partner `login()` envelope. Every value is XML-escaped here, once. */
export interface LoginEnvelopeFields {
  username: string;
  /** The password with the security token already appended. */
  password: string;
  /** The `<client>` of CallOptions, e.g. "sfkit" or "sfkit/My App". */
  client: string;
  organizationId?: string | undefined;
  portalId?: string | undefined;
}

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="utf-8"?>' +
  '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"' +
  ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
  ' xmlns:urn="urn:partner.soap.sforce.com">';

/**
 * The partner `login()` request. Header order follows the partner WSDL binding
 * (LoginScopeHeader, then CallOptions); the LoginScopeHeader is sent only for the
 * organizationId (IP allow-list / portal) variant.
 */
export function loginEnvelope(fields: LoginEnvelopeFields): string {
  let scope = "";
  if (fields.organizationId) {
    scope =
      "<urn:LoginScopeHeader>" +
      `<urn:organizationId>${escapeXml(fields.organizationId)}</urn:organizationId>` +
      (fields.portalId ? `<urn:portalId>${escapeXml(fields.portalId)}</urn:portalId>` : "") +
      "</urn:LoginScopeHeader>";
  }
  return (
    ENVELOPE_OPEN +
    "<env:Header>" +
    scope +
    `<urn:CallOptions><urn:client>${escapeXml(fields.client)}</urn:client></urn:CallOptions>` +
    "</env:Header>" +
    "<env:Body><urn:login>" +
    `<urn:username>${escapeXml(fields.username)}</urn:username>` +
    `<urn:password>${escapeXml(fields.password)}</urn:password>` +
    "</urn:login></env:Body></env:Envelope>"
  );
}

/** The partner `logout()` request for a session. */
export function logoutEnvelope(sessionId: string): string {
  return (
    ENVELOPE_OPEN +
    `<env:Header><urn:SessionHeader><urn:sessionId>${escapeXml(sessionId)}</urn:sessionId></urn:SessionHeader></env:Header>` +
    "<env:Body><urn:logout/></env:Body></env:Envelope>"
  );
}

/** Headers of every SOAP call: text/xml with the charset as a parameter, and the SOAPAction. */
export function soapHeaders(action: "login" | "logout"): Record<string, string> {
  return { "content-type": "text/xml; charset=UTF-8", soapaction: action, accept: "text/xml" };
}

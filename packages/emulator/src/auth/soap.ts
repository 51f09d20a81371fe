// SOAP partner API: login (the real success envelope and LoginFaults) and logout.
import type { RequestContext } from "../context.js";
import { escapeXml, parseXml, child, type XmlElement, XmlParseError } from "../xml.js";
import type { Router } from "../router.js";
import type { EmulatedUser } from "./sessions.js";
import { PROFILE_ID } from "../org.js";
import { isTrustedAddress } from "./trusted-ips.js";

const ENVELOPE_START = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"`;

export const LOGIN_MESSAGES = {
  INVALID_LOGIN: "Invalid username, password, security token; or user locked out.",
  LOGIN_MUST_USE_SECURITY_TOKEN:
    "Invalid username, password, security token; or user locked out. Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company’s trusted networks, you must add a security token to your password to log in. To get your new security token, log in to Salesforce. From your personal settings, enter Reset My Security Token in the Quick Find box, then select Reset My Security Token.",
  PASSWORD_LOCKOUT: "Your account has been locked out. Please contact your administrator.",
};

/** A SOAP fault (HTTP 500). `faultType` is LoginFault for login, UnexpectedErrorFault otherwise. */
export function soapFault(
  code: string,
  message: string,
  faultType = "LoginFault",
  faultcode = `sf:${code}`,
): string {
  return (
    `${ENVELOPE_START} xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soapenv:Body><soapenv:Fault><faultcode>${faultcode}</faultcode><faultstring>${escapeXml(code ? `${code}: ${message}` : message)}</faultstring>` +
    (faultType
      ? `<detail><sf:${faultType} xsi:type="sf:${faultType}"><sf:exceptionCode>${code}</sf:exceptionCode><sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:${faultType}></detail>`
      : "") +
    `</soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}

function clientFault(message: string): string {
  return (
    `${ENVELOPE_START}><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode>` +
    `<faultstring>${escapeXml(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}

function nil(name: string, v: string | undefined | null): string {
  return v === undefined || v === null ? `<${name} xsi:nil="true"/>` : `<${name}>${escapeXml(v)}</${name}>`;
}

/** The partner loginResponse envelope (element order of the partner WSDL). */
export function loginResponse(
  ctx: RequestContext,
  user: EmulatedUser,
  sessionId: string,
  version: string,
): string {
  const org = ctx.org;
  const base = org.url;
  const orgId15 = org.organizationId.slice(0, 15);
  const fullName = [user.firstName, user.lastName].filter(Boolean).join(" ");
  const seconds = Math.round(org.sessions.lifetimeMs / 1000);
  return (
    `${ENVELOPE_START} xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soapenv:Body><loginResponse><result>` +
    `<metadataServerUrl>${base}/services/Soap/m/${version}/${orgId15}</metadataServerUrl>` +
    `<passwordExpired>${user.passwordExpired ? "true" : "false"}</passwordExpired>` +
    `<sandbox>${org.options.sandbox ? "true" : "false"}</sandbox>` +
    `<serverUrl>${base}/services/Soap/u/${version}/${orgId15}</serverUrl>` +
    `<sessionId>${escapeXml(sessionId)}</sessionId>` +
    `<userId>${user.userId}</userId>` +
    `<userInfo>` +
    `<accessibilityMode>false</accessibilityMode>` +
    `<chatterExternal>false</chatterExternal>` +
    `<currencySymbol>$</currencySymbol>` +
    `<orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit>` +
    `<orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode>` +
    `<orgDefaultCurrencyLocale>en_US</orgDefaultCurrencyLocale>` +
    `<orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments>` +
    `<orgHasPersonAccounts>false</orgHasPersonAccounts>` +
    `<organizationId>${org.organizationId}</organizationId>` +
    `<organizationMultiCurrency>false</organizationMultiCurrency>` +
    `<organizationName>${escapeXml(org.organizationName)}</organizationName>` +
    `<profileId>${PROFILE_ID}</profileId>` +
    nil("roleId", null) +
    `<sessionSecondsValid>${seconds}</sessionSecondsValid>` +
    nil("userDefaultCurrencyIsoCode", null) +
    `<userEmail>${escapeXml(user.email)}</userEmail>` +
    `<userFullName>${escapeXml(fullName)}</userFullName>` +
    `<userId>${user.userId}</userId>` +
    `<userLanguage>${user.language ?? "en_US"}</userLanguage>` +
    `<userLocale>${user.locale ?? "en_US"}</userLocale>` +
    `<userName>${escapeXml(user.username)}</userName>` +
    `<userTimeZone>${user.timeZone ?? "GMT"}</userTimeZone>` +
    `<userType>Standard</userType>` +
    `<userUiSkin>Theme3</userUiSkin>` +
    `</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>`
  );
}

const LOGOUT_RESPONSE = `${ENVELOPE_START} xmlns="urn:partner.soap.sforce.com"><soapenv:Body><logoutResponse/></soapenv:Body></soapenv:Envelope>`;

function rawText(el: XmlElement | undefined): string | undefined {
  return el ? el.text : undefined;
}

/** Checks credentials as SOAP login and the OAuth password grant do. */
export function checkPassword(
  ctx: RequestContext,
  username: string,
  password: string,
): { user: EmulatedUser } | { code: keyof typeof LOGIN_MESSAGES } {
  const user = ctx.org.findUser(username);
  if (!user) return { code: "INVALID_LOGIN" };
  const full = user.password + user.securityToken;
  // From a trusted address (Network Access) the token is not needed, though it is still accepted.
  const tokenOptional =
    user.securityToken === "" || isTrustedAddress(ctx.org.trustedIpRanges, ctx.req.socket.remoteAddress);
  if (password !== full && !(tokenOptional && password === user.password)) {
    if (user.securityToken && password === user.password) {
      return user.locked ? { code: "PASSWORD_LOCKOUT" } : { code: "LOGIN_MUST_USE_SECURITY_TOKEN" };
    }
    return { code: "INVALID_LOGIN" };
  }
  if (user.locked) return { code: "PASSWORD_LOCKOUT" };
  return { user };
}

async function soapHandler(ctx: RequestContext): Promise<void> {
  const fault = (status: number, xml: string) => ctx.sendXml(status, xml);
  const version = ctx.params.soapVersion ?? "";
  const vm = /^(\d+)(?:\.0)?$/.exec(version);
  const contentType = ctx.header("content-type") ?? "";
  if (!/xml/i.test(contentType))
    return fault(500, clientFault("content-type of the request should be text/xml"));
  const body = ctx.text();
  if (!body.trim()) return fault(500, clientFault("Premature end of file."));
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (e) {
    // Malformed XML (e.g. an unescaped `&` in a password) is an UNKNOWN_EXCEPTION with the parser's message.
    if (e instanceof XmlParseError && e.message !== "Premature end of file.") {
      return fault(500, soapFault("UNKNOWN_EXCEPTION", e.message, "UnexpectedErrorFault"));
    }
    return fault(500, clientFault("Premature end of file."));
  }
  const bodyEl = child(root, "Body");
  const op = bodyEl?.children[0];
  if (!bodyEl || !op)
    return fault(500, clientFault("No operation available for request {urn:partner.soap.sforce.com}"));
  if (!vm)
    return fault(
      500,
      soapFault("UNSUPPORTED_API_VERSION", `Invalid Api version specified on URL`, "UnexpectedErrorFault"),
    );
  const v = Number(vm[1]);
  const ver = `${v}.0`;
  if (v < 31 || v > ctx.org.latestVersion) {
    return fault(
      500,
      soapFault("UNSUPPORTED_API_VERSION", `Invalid Api version specified on URL`, "UnexpectedErrorFault"),
    );
  }
  if (op.name === "login") {
    if (v >= 65) {
      return fault(
        500,
        soapFault(
          "INVALID_OPERATION",
          `The SOAP Login operation is not available in the API version specified (${ver}). Refer to the documentation for supported versions.`,
          "UnexpectedErrorFault",
        ),
      );
    }
    if (ctx.org.options.soapLoginDisabled) {
      return fault(
        500,
        soapFault(
          "INVALID_OPERATION",
          "SOAP API login() is disabled by default in this org. Contact the org administrator to enable SOAP API login().",
          "UnexpectedErrorFault",
        ),
      );
    }
    const username = (rawText(child(op, "username")) ?? "").trim();
    const password = rawText(child(op, "password")) ?? "";
    const header = child(root, "Header");
    const scope = child(header, "LoginScopeHeader");
    const scopedOrg = scope ? (rawText(child(scope, "organizationId")) ?? "").trim() : "";
    const result = checkPassword(ctx, username, password);
    if ("code" in result) return fault(500, soapFault(result.code, LOGIN_MESSAGES[result.code]));
    if (scopedOrg && scopedOrg.slice(0, 15) !== ctx.org.organizationId.slice(0, 15)) {
      return fault(500, soapFault("INVALID_LOGIN", LOGIN_MESSAGES.INVALID_LOGIN));
    }
    const session = ctx.org.sessions.create(
      result.user,
      "soap",
      result.user.passwordExpired ? { passwordExpired: true } : {},
    );
    return ctx.sendXml(200, loginResponse(ctx, result.user, session.token, ver));
  }
  if (op.name === "logout") {
    const sessionHeader = child(child(root, "Header"), "SessionHeader");
    const token = (rawText(child(sessionHeader, "sessionId")) ?? "").trim();
    const session = ctx.org.sessions.get(token);
    if (!session) {
      return fault(
        500,
        soapFault(
          "INVALID_SESSION_ID",
          "Invalid Session ID found in SessionHeader: Illegal Session",
          "UnexpectedErrorFault",
        ),
      );
    }
    ctx.org.sessions.expire(token);
    return ctx.sendXml(200, LOGOUT_RESPONSE);
  }
  const token = (rawText(child(child(child(root, "Header"), "SessionHeader"), "sessionId")) ?? "").trim();
  if (!ctx.org.sessions.get(token)) {
    return fault(
      500,
      soapFault(
        "INVALID_SESSION_ID",
        "Invalid Session ID found in SessionHeader: Illegal Session",
        "UnexpectedErrorFault",
      ),
    );
  }
  if (op.name === "getUserInfo" || op.name === "getServerTimestamp") {
    const s = ctx.org.sessions.get(token)!;
    if (op.name === "getServerTimestamp") {
      return ctx.sendXml(
        200,
        `${ENVELOPE_START} xmlns="urn:partner.soap.sforce.com"><soapenv:Body><getServerTimestampResponse><result><timestamp>${new Date(ctx.org.now()).toISOString()}</timestamp></result></getServerTimestampResponse></soapenv:Body></soapenv:Envelope>`,
      );
    }
    const user = ctx.org.userById(s.userId)!;
    const xml = loginResponse(ctx, user, token, ver);
    const info = /<userInfo>(.*)<\/userInfo>/.exec(xml)![1];
    return ctx.sendXml(
      200,
      `${ENVELOPE_START} xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><getUserInfoResponse><result>${info}</result></getUserInfoResponse></soapenv:Body></soapenv:Envelope>`,
    );
  }
  return fault(
    500,
    soapFault(
      "INVALID_OPERATION",
      `The operation ${op.name} is not supported by the sfkit emulator`,
      "UnexpectedErrorFault",
    ),
  );
}

export function soapRoutes(router: Router): void {
  router.post("/services/Soap/u/:soapVersion", soapHandler, { auth: "none" });
  router.post("/services/Soap/u/:soapVersion/:orgId", soapHandler, { auth: "none" });
}

import { parseXml } from "@sfkit/core";
import { describe, expect, it } from "vitest";
import { loginEnvelope, logoutEnvelope, loginVersion } from "../src/index.js";
import { instanceUrlFromServerUrl, parseLoginResponse, readFault } from "../src/soap-response.js";
import { RECORDED_INVALID_LOGIN_FAULT, RECORDED_LOGIN_RESPONSE } from "./recorded.js";

describe("login envelope (F01 and its kind: every field escaped once)", () => {
  it("escapes & < > \" ' in username, password+token, organizationId and client", () => {
    const xml = loginEnvelope({
      username: "a&b<c>@x.com",
      password: "p\"'&wt&k",
      client: "sfkit/My <App> & Co",
      organizationId: "00D&<>",
    });
    expect(xml).toContain("<urn:username>a&amp;b&lt;c&gt;@x.com</urn:username>");
    expect(xml).toContain("<urn:password>p&quot;&apos;&amp;wt&amp;k</urn:password>");
    expect(xml).toContain("<urn:client>sfkit/My &lt;App&gt; &amp; Co</urn:client>");
    expect(xml).toContain("<urn:organizationId>00D&amp;&lt;&gt;</urn:organizationId>");
    // and it parses back to exactly what was given
    const doc = parseXml(xml) as any;
    expect(doc.Envelope.Body.login.password).toBe("p\"'&wt&k");
    expect(doc.Envelope.Body.login.username).toBe("a&b<c>@x.com");
    expect(doc.Envelope.Header.CallOptions.client).toBe("sfkit/My <App> & Co");
  });

  it("sends a LoginScopeHeader only for the organizationId variant", () => {
    expect(loginEnvelope({ username: "u", password: "p", client: "sfkit" })).not.toContain(
      "LoginScopeHeader",
    );
    const scoped = loginEnvelope({
      username: "u",
      password: "p",
      client: "sfkit",
      organizationId: "00D000000000001",
      portalId: "060000000000001",
    });
    expect(scoped).toMatch(
      /<urn:LoginScopeHeader><urn:organizationId>00D000000000001<\/urn:organizationId><urn:portalId>060000000000001<\/urn:portalId><\/urn:LoginScopeHeader><urn:CallOptions>/,
    );
  });

  it("keeps non-ASCII and whitespace as they are", () => {
    const xml = loginEnvelope({ username: "zoë@example.com", password: "  pässwörd 密码 ", client: "sfkit" });
    expect((parseXml(xml) as any).Envelope.Body.login.password).toBe("  pässwörd 密码 ");
  });

  it("logout carries the session in a SessionHeader", () => {
    expect(logoutEnvelope("00D!a&b")).toContain(
      "<urn:SessionHeader><urn:sessionId>00D!a&amp;b</urn:sessionId></urn:SessionHeader>",
    );
    expect(logoutEnvelope("x")).toContain("<urn:logout/>");
  });
});

describe("login version", () => {
  it("caps the client's version at 64.0, the last that answers login()", () => {
    expect(loginVersion(undefined, "62.0")).toBe("62.0");
    expect(loginVersion(undefined, "64.0")).toBe("64.0");
    expect(loginVersion(undefined, "66.0")).toBe("64.0");
    expect(loginVersion("58.0", "66.0")).toBe("58.0");
  });
});

describe("login response", () => {
  it("reads the recorded success envelope", () => {
    const result = parseLoginResponse(RECORDED_LOGIN_RESPONSE);
    expect(result).toMatchObject({
      sessionId: "example",
      serverUrl: "https://example.salesforce.com/services/Soap/u/46.0/example",
      passwordExpired: false,
      sandbox: false,
      sessionSecondsValid: 7200,
    });
    expect(result?.userInfo.userFullName).toBe("Vince Chase");
    expect(result?.userInfo.userDefaultCurrencyIsoCode).toBe("");
  });

  it("reads the recorded fault", () => {
    expect(readFault(500, RECORDED_INVALID_LOGIN_FAULT)).toEqual({
      code: "INVALID_LOGIN",
      message: "Invalid username, password, security token; or user locked out.",
    });
  });

  it("A4: a body that is not XML gives the status as code and the text as message", () => {
    expect(readFault(500, "<html>oops</html")).toEqual({ code: "500", message: "oops" });
    expect(
      readFault(503, "<!DOCTYPE html><html><head><title>Down</title></head><body>Maintenance</body></html>")
        .code,
    ).toBe("503");
    expect(readFault(502, "")).toEqual({ code: "502", message: "HTTP 502 with an empty body" });
  });

  it("A8: instance URL keeps scheme and port, strips -api only from an old pod host", () => {
    expect(instanceUrlFromServerUrl("https://na15-api.salesforce.com/services/Soap/u/59.0/00D")).toBe(
      "https://na15.salesforce.com",
    );
    expect(instanceUrlFromServerUrl("https://my-apiorg.my.salesforce.com/services/Soap/u/59.0/00D")).toBe(
      "https://my-apiorg.my.salesforce.com",
    );
    expect(instanceUrlFromServerUrl("https://acme-api.my.salesforce.com/services/Soap/u/59.0/00D")).toBe(
      "https://acme-api.my.salesforce.com",
    );
    expect(instanceUrlFromServerUrl("http://127.0.0.1:5555/services/Soap/u/64.0/00D")).toBe(
      "http://127.0.0.1:5555",
    );
    expect(instanceUrlFromServerUrl("not a url")).toBeUndefined();
  });
});

import { generateKeyPairSync, verify } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationError } from "@sfkit/core";
import { describe, expect, it } from "vitest";
import {
  audienceFor,
  clientCredentialsGrant,
  jwtBearerGrant,
  loadPrivateKey,
  passwordGrant,
  refreshTokenGrant,
  signJwt,
} from "../src/index.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const PKCS1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();

function configError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^\[@sfkit\/auth-oauth\] /);
    return error as ConfigurationError;
  }
  throw new Error("expected a ConfigurationError");
}

describe("JWT signing", () => {
  it("produces an RS256 compact JWT that verifies with the public key", () => {
    const exp = Math.floor(Date.now() / 1000) + 180;
    const jwt = signJwt(
      { iss: "KEY", sub: "zoë@example.com", aud: "https://login.salesforce.com", exp },
      privateKey,
    );
    const [header, payload, signature] = jwt.split(".");
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ alg: "RS256" });
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    expect(claims).toEqual({ iss: "KEY", sub: "zoë@example.com", aud: "https://login.salesforce.com", exp });
    expect(typeof claims.exp).toBe("number");
    expect(jwt).not.toMatch(/[=+/]/);
    expect(
      verify(
        "RSA-SHA256",
        Buffer.from(`${header}.${payload}`),
        publicKey,
        Buffer.from(signature!, "base64url"),
      ),
    ).toBe(true);
  });

  it("reads PKCS#8 and PKCS#1 PEM text, bytes and files", () => {
    expect(loadPrivateKey({ privateKey: PEM }).key.asymmetricKeyType).toBe("rsa");
    expect(loadPrivateKey({ privateKey: PKCS1 }).key.asymmetricKeyType).toBe("rsa");
    expect(loadPrivateKey({ privateKey: Buffer.from(PEM) }).key.asymmetricKeyType).toBe("rsa");
    const dir = mkdtempSync(join(tmpdir(), "sfkit-oauth-"));
    writeFileSync(join(dir, "server.key"), PEM);
    expect(loadPrivateKey({ privateKeyFile: join(dir, "server.key") }).pem).toBe(PEM);
  });

  it("refuses what is not an RSA private key, without quoting it", () => {
    const secretish = "CANARY-not-a-key-0123456789";
    const e1 = configError(() => loadPrivateKey({ privateKey: secretish }));
    expect(e1.message).toMatch(/not a PEM private key/);
    expect(e1.message).not.toContain(secretish);
    expect(configError(() => loadPrivateKey({ privateKey: "./keys/server.key" })).message).toMatch(
      /privateKeyFile/,
    );
    const cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    expect(configError(() => loadPrivateKey({ privateKey: cert })).message).toMatch(/certificate/);
    const broken = "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n";
    expect(configError(() => loadPrivateKey({ privateKey: broken })).message).toMatch(/could not be read/);
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    expect(configError(() => loadPrivateKey({ privateKey: ec })).message).toMatch(/RSA/);
    const missing = configError(() => loadPrivateKey({ privateKeyFile: "/nonexistent/key.pem" }));
    expect(missing.message).toContain(
      "file not found: /nonexistent/key.pem (from privateKeyFile of jwtBearerGrant())",
    );
    expect(missing.message).not.toContain("ENOENT");
    expect(configError(() => loadPrivateKey({ privateKey: PEM, privateKeyFile: "/x" })).message).toMatch(
      /not both/,
    );
    expect(configError(() => loadPrivateKey({})).message).toMatch(/privateKey/);
  });

  it("encrypted keys need their passphrase", () => {
    const encrypted = privateKey
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "open sesame" })
      .toString();
    expect(configError(() => loadPrivateKey({ privateKey: encrypted })).message).toMatch(
      /privateKeyPassphrase/,
    );
    expect(
      loadPrivateKey({ privateKey: encrypted, privateKeyPassphrase: "open sesame" }).key.asymmetricKeyType,
    ).toBe("rsa");
  });
});

describe("aud from the login domain", () => {
  it.each([
    ["https://login.salesforce.com", "https://login.salesforce.com"],
    ["https://test.salesforce.com", "https://test.salesforce.com"],
    ["https://acme.my.salesforce.com", "https://login.salesforce.com"],
    ["https://acme--uat.sandbox.my.salesforce.com", "https://test.salesforce.com"],
    ["https://speed-ruby-1234.scratch.my.salesforce.com", "https://test.salesforce.com"],
    ["https://acme-dev-ed.develop.my.salesforce.com", "https://login.salesforce.com"],
    ["https://acme.my.site.com/customers", "https://acme.my.site.com/customers"],
    ["http://127.0.0.1:4444", "http://127.0.0.1:4444"],
  ])("%s → %s", (loginUrl, aud) => {
    expect(audienceFor(loginUrl)).toBe(aud);
  });
});

describe("options are checked when the strategy is made", () => {
  it("password grant", () => {
    const base = { username: "u@x.com", password: "p", consumerKey: "K", consumerSecret: "S" };
    expect(passwordGrant(base).kind).toBe("oauth-password");
    expect(configError(() => passwordGrant({ ...base, password: "" })).message).toMatch(
      /password is required/,
    );
    expect(configError(() => passwordGrant({ ...base, consumerSecret: undefined as never })).message).toMatch(
      /consumerSecret/,
    );
    expect(
      configError(() => passwordGrant({ ...base, domain: "https://acme.lightning.force.com" })).message,
    ).toMatch(/UI host/);
    expect(configError(() => (passwordGrant as (o: unknown) => unknown)(undefined)).message).toMatch(
      /options object/,
    );
  });

  it("login domains resolve as in @sfkit/auth-soap; plain http only off Salesforce's hosts", () => {
    const base = { username: "u@x.com", password: "p", consumerKey: "K", consumerSecret: "S" };
    expect(passwordGrant(base).loginUrl).toBe("https://login.salesforce.com");
    expect(passwordGrant({ ...base, domain: "test" }).loginUrl).toBe("https://test.salesforce.com");
    expect(passwordGrant({ ...base, domain: "acme--uat.sandbox.my" }).loginUrl).toBe(
      "https://acme--uat.sandbox.my.salesforce.com",
    );
    expect(passwordGrant({ ...base, loginUrl: "http://127.0.0.1:5000/" }).loginUrl).toBe(
      "http://127.0.0.1:5000",
    );
    expect(
      configError(() => passwordGrant({ ...base, loginUrl: "http://login.salesforce.com" })).message,
    ).toMatch(/must use https/);
  });

  it("client credentials: My Domain only, refused on login and test before any request", () => {
    const base = { consumerKey: "K", consumerSecret: "S" };
    expect(clientCredentialsGrant({ ...base, domain: "acme.my" }).loginUrl).toBe(
      "https://acme.my.salesforce.com",
    );
    expect(clientCredentialsGrant({ ...base, domain: "na15" }).loginUrl).toBe("https://na15.salesforce.com");
    for (const domain of ["login", "test", "https://login.salesforce.com", "test.salesforce.com"]) {
      expect(configError(() => clientCredentialsGrant({ ...base, domain })).message).toMatch(/My Domain/);
    }
    expect(configError(() => clientCredentialsGrant(base)).message).toMatch(/My Domain/);
  });

  it("JWT bearer", () => {
    const base = { username: "u@x.com", consumerKey: "K", privateKey: PEM };
    const strategy = jwtBearerGrant({ ...base, domain: "test", instanceUrl: "myorg.my" });
    expect(strategy.loginUrl).toBe("https://test.salesforce.com");
    expect(configError(() => jwtBearerGrant({ ...base, privateKey: "nope" })).message).toMatch(/PEM/);
    expect(configError(() => jwtBearerGrant({ ...base, expiresIn: 3600 })).message).toMatch(/expiresIn/);
    expect(configError(() => jwtBearerGrant({ ...base, username: "" })).message).toMatch(/username/);
  });

  it("refresh token", () => {
    expect(refreshTokenGrant({ refreshToken: "R", consumerKey: "K" }).kind).toBe("oauth-refresh-token");
    expect(configError(() => refreshTokenGrant({ refreshToken: "", consumerKey: "K" })).message).toMatch(
      /refreshToken/,
    );
    expect(
      configError(() => refreshTokenGrant({ refreshToken: "R", consumerKey: "K", accessToken: "A" })).message,
    ).toMatch(/together/);
    expect(
      configError(() =>
        refreshTokenGrant({ refreshToken: "R", consumerKey: "K", accessToken: "A", instanceUrl: "nope" }),
      ).message,
    ).toMatch(/instanceUrl/);
  });
});

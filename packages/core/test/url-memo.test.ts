// redactUrl and normalizeInstanceUrl run on every request, so they remember recent answers;
// a remembered answer must be the one a fresh computation gives, and secrets are never kept.
import { describe, expect, it } from "vitest";
import { REDACTED, normalizeInstanceUrl, redactUrl } from "../src/index.js";

describe("per-request URL helpers", () => {
  it("redactUrl gives the same answer the second time, for plain and secret-bearing URLs", () => {
    const plain = "http://127.0.0.1:8080/services/data/v62.0/sobjects/Account/001";
    expect(redactUrl(plain)).toBe(plain);
    expect(redactUrl(plain)).toBe(plain);
    const secret = "https://acme.my.salesforce.com/x?access_token=CANARY-123&q=1";
    for (let i = 0; i < 2; i++) {
      const shown = redactUrl(secret);
      expect(shown).not.toContain("CANARY-123");
      expect(shown).toContain(encodeURIComponent(REDACTED));
      expect(shown).toContain("q=1");
    }
    const userinfo = "https://user:CANARY-pw@acme.my.salesforce.com/x";
    expect(redactUrl(userinfo)).not.toContain("CANARY-pw");
    expect(redactUrl(userinfo)).not.toContain("CANARY-pw");
  });

  it("normalizeInstanceUrl answers each input correctly when inputs alternate", () => {
    for (let i = 0; i < 2; i++) {
      expect(normalizeInstanceUrl("acme.my.salesforce.com")).toBe("https://acme.my.salesforce.com");
      expect(normalizeInstanceUrl("http://127.0.0.1:8080/")).toBe("http://127.0.0.1:8080");
    }
    expect(() => normalizeInstanceUrl("ftp://x")).toThrow(/https/);
    expect(() => normalizeInstanceUrl("ftp://x")).toThrow(/https/);
  });
});

import { ConfigurationError } from "@sfkit/core";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { apexBody } from "../src/body.js";
import { decodeApexBody } from "../src/decode.js";
import { apexPath } from "../src/path.js";

describe("apexPath", () => {
  it("puts the action under /services/apexrest/, with or without a leading slash or the prefix", () => {
    expect(apexPath("User/Activity")).toBe("/services/apexrest/User/Activity");
    expect(apexPath("/User/Activity")).toBe("/services/apexrest/User/Activity");
    expect(apexPath("/services/apexrest/User/Activity")).toBe("/services/apexrest/User/Activity");
    expect(apexPath("services/apexrest/x")).toBe("/services/apexrest/x");
    expect(apexPath("x", "acme")).toBe("/services/apexrest/acme/x");
  });

  it("encodes each segment of an array exactly once (F04's kind)", () => {
    expect(apexPath(["Account", "a/b c+d%"])).toBe("/services/apexrest/Account/a%2Fb%20c%2Bd%25");
  });

  it("encodes what cannot appear in a URL in a string path, and never an existing escape twice", () => {
    expect(apexPath("Account/a b")).toBe("/services/apexrest/Account/a%20b");
    expect(apexPath("Account/a%20b")).toBe("/services/apexrest/Account/a%20b");
    expect(apexPath("Account/100%")).toBe("/services/apexrest/Account/100%25");
    expect(apexPath("Ünïcode/é")).toBe("/services/apexrest/%C3%9Cn%C3%AFcode/%C3%A9");
    expect(apexPath("Search?q=a b&x=%2B#frag")).toBe("/services/apexrest/Search?q=a%20b&x=%2B");
  });

  it("refuses paths that would leave /services/apexrest/ or say nothing", () => {
    expect(() => apexPath("../data/v62.0/sobjects")).toThrow(ConfigurationError);
    expect(() => apexPath(["Account", ".."])).toThrow(/"\.\." segment/);
    expect(() => apexPath("a/%2e%2e/b")).toThrow(ConfigurationError);
    expect(() => apexPath("")).toThrow(/needs the resource path/);
    expect(() => apexPath("/services/apexrest/")).toThrow(/needs the resource path/);
    expect(() => apexPath("https://evil.example/services/apexrest/x")).toThrow(
      /relative to \/services\/apexrest/,
    );
    expect(() => apexPath([])).toThrow(ConfigurationError);
  });
});

describe("apexBody (F20 and its kind)", () => {
  it("sends no body at all when there is no data, whatever the method", () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const headers: Record<string, string> = {};
      expect(apexBody(undefined, headers, method)).toBeUndefined();
      expect(apexBody(null, headers, method)).toBeUndefined();
      expect(headers).toEqual({});
    }
  });

  it("JSON-encodes objects, arrays, numbers, booleans (including falsy ones)", () => {
    const cases: Array<[unknown, string]> = [
      [{ a: 1 }, '{"a":1}'],
      [[1, "x"], '[1,"x"]'],
      [0, "0"],
      [false, "false"],
      [{ when: new Date("2024-01-02T03:04:05Z") }, '{"when":"2024-01-02T03:04:05.000Z"}'],
    ];
    for (const [data, text] of cases) {
      const headers: Record<string, string> = {};
      expect(apexBody(data as never, headers, "POST")).toBe(text);
      expect(headers["content-type"]).toBe("application/json");
    }
  });

  it("sends strings, bytes and streams exactly as given, with the caller's content type", () => {
    const xml: Record<string, string> = { "content-type": "application/xml" };
    expect(apexBody("<a>1</a>", xml, "POST")).toBe("<a>1</a>");
    expect(xml["content-type"]).toBe("application/xml");
    const empty: Record<string, string> = {};
    expect(apexBody("", empty, "POST")).toBe("");
    const bytes: Record<string, string> = {};
    const buffer = Buffer.from([0, 1, 2]);
    expect(apexBody(buffer, bytes, "PUT")).toBe(buffer);
    expect(bytes["content-type"]).toBe("application/octet-stream");
    const stream = Readable.from([Buffer.from("x")]);
    expect(apexBody(stream, {}, "POST")).toBe(stream);
    expect(apexBody(new Uint8Array([7]).buffer, {}, "POST")).toEqual(new Uint8Array([7]));
  });

  it("refuses a body on GET, an object under a non-JSON content type, and values with no JSON form", () => {
    expect(() => apexBody({ a: 1 }, {}, "GET")).toThrow(/GET request cannot carry a body.*params/);
    expect(() => apexBody({ a: 1 }, { "content-type": "application/xml" }, "POST")).toThrow(
      /sends as JSON, but the Content-Type header says "application\/xml"/,
    );
    expect(apexBody({ a: 1 }, { "content-type": "application/vnd.acme+json" }, "POST")).toBe('{"a":1}');
    expect(() => apexBody({ n: 1n } as never, {}, "POST")).toThrow(/cannot be written as JSON/);
    expect(() => apexBody((() => 1) as never, {}, "POST")).toThrow(/has no JSON form/);
  });
});

describe("decodeApexBody", () => {
  const bytes = (text: string) => Buffer.from(text, "utf8");
  it("reads JSON objects and bare JSON values", () => {
    expect(decodeApexBody(bytes('{"a":1}'), 200, "application/json;charset=UTF-8")).toEqual({ a: 1 });
    expect(decodeApexBody(bytes("123"), 200, "application/json")).toBe(123);
    expect(decodeApexBody(bytes('"text"'), 200, "application/json")).toBe("text");
    expect(decodeApexBody(bytes("true"), 200, undefined)).toBe(true);
  });
  it("falls back to text, keeps text types as text, bytes as bytes, empty as null", () => {
    expect(decodeApexBody(bytes("OK"), 200, "application/json")).toBe("OK");
    expect(decodeApexBody(bytes("123"), 200, "text/plain")).toBe("123");
    expect(decodeApexBody(bytes("<a/>"), 200, "application/xml")).toBe("<a/>");
    expect(decodeApexBody(Buffer.from([0, 255]), 200, "application/pdf")).toEqual(Buffer.from([0, 255]));
    expect(decodeApexBody(Buffer.alloc(0), 200, "application/json")).toBeNull();
    expect(decodeApexBody(bytes("ignored"), 204, undefined)).toBeNull();
  });
});

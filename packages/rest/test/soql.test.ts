import { ConfigurationError } from "@sfkit/core";
import { describe, expect, it } from "vitest";
import {
  SOSL_RESERVED,
  buildQuickSearch,
  encodePathSegment,
  escapeSosl,
  escapeSoqlLike,
  escapeSoqlString,
  formatExternalId,
  formatSoql,
  soql,
  soqlDate,
  soqlLike,
  soqlRaw,
  toSoqlDate,
  toSoqlDateTime,
} from "../src/index.js";

describe("formatSoql (simple-salesforce parity I1–I8)", () => {
  it("I1: quotes named string values", () => {
    expect(
      formatSoql("select foo from bar where x = :a and y = :named", { a: "value1", named: "value2" }),
    ).toBe("select foo from bar where x = 'value1' and y = 'value2'");
  });
  it("I2: escapes quotes and newlines as backslash sequences", () => {
    expect(formatSoql("x = :a and y = :b", { a: "val'ue1\n", b: "val'ue2\n" })).toBe(
      "x = 'val\\'ue1\\n' and y = 'val\\'ue2\\n'",
    );
  });
  it("I3: arrays become IN lists, each item escaped", () => {
    expect(formatSoql("Id IN :ids", { ids: ["value1", "val'ue1\n"] })).toBe(
      "Id IN ('value1','val\\'ue1\\n')",
    );
  });
  it("I4/I5: numbers, booleans and null", () => {
    expect(formatSoql("x = :a and y = :b", { a: 1, b: 2.37 })).toBe("x = 1 and y = 2.37");
    expect(formatSoql(":f :t :n", { f: false, t: true, n: null })).toBe("false true null");
  });
  it("I6: a Date is a UTC dateTime; :date gives the calendar date", () => {
    const when = new Date(Date.UTC(1987, 1, 1, 1, 2, 3));
    expect(formatSoql("d = :d:date AND t = :t", { d: new Date("1987-02-01"), t: when })).toBe(
      "d = 1987-02-01 AND t = 1987-02-01T01:02:03Z",
    );
    expect(formatSoql("d = :d:date", { d: "1987-02-01" })).toBe("d = 1987-02-01");
    expect(formatSoql("t > :t", { t: new Date("2021-08-11T14:52:08.062+02:00") })).toBe(
      "t > 2021-08-11T12:52:08.062Z",
    );
  });
  it("I7: :literal inserts raw, :like escapes % and _ without quoting, objects throw", () => {
    expect(formatSoql("amt = :amt:literal", { amt: "USD100" })).toBe("amt = USD100");
    expect(formatSoql("Name LIKE '%:term:like%'", { term: "foo'%bar_" })).toBe(
      "Name LIKE '%foo\\'\\%bar\\_%'",
    );
    expect(() => formatSoql("x = :a", { a: { b: 1 } })).toThrow(ConfigurationError);
  });
  it("I8: formatExternalId percent-encodes the value as one segment", () => {
    expect(formatExternalId("name", "some/other'type value")).toBe("name/some%2Fother%27type%20value");
    expect(formatExternalId("Ext__c", "a#b%c?d+é")).toBe("Ext__c/a%23b%25c%3Fd%2B%C3%A9");
    expect(() => formatExternalId("bad field", "x")).toThrow(ConfigurationError);
    expect(() => formatExternalId("Ext__c", "")).toThrow(/empty/);
  });

  it("escapes every SOQL escape: backslash, quotes, \\n \\r \\t \\b \\f", () => {
    expect(escapeSoqlString("a\\b'c\"d\ne\rf\tg\bh\fi")).toBe("a\\\\b\\'c\\\"d\\ne\\rf\\tg\\bh\\fi");
    expect(escapeSoqlLike("100%_\\")).toBe("100\\%\\_\\\\");
  });
  it("leaves datetimes, date literals and placeholders inside quotes that are not params alone", () => {
    expect(
      formatSoql(
        "WHERE CreatedDate > 2020-01-01T10:00:00Z AND CloseDate = LAST_N_DAYS:30 AND Name = 'a:b' AND Id = :id",
        {
          id: "001",
        },
      ),
    ).toBe(
      "WHERE CreatedDate > 2020-01-01T10:00:00Z AND CloseDate = LAST_N_DAYS:30 AND Name = 'a:b' AND Id = '001'",
    );
  });
  it("a missing parameter outside quotes is an error that names it", () => {
    expect(() => formatSoql("Id = :id", {})).toThrow(/:id/);
  });
  it("refuses values SOQL cannot express", () => {
    expect(() => formatSoql("x = :a", { a: Number.NaN })).toThrow(/finite/);
    expect(() => formatSoql("x = :a", { a: undefined })).toThrow(/undefined/);
    expect(() => formatSoql("x IN :a", { a: [] })).toThrow(/empty array/);
    expect(() => formatSoql("x = :a", { a: new Date("nope") })).toThrow(/invalid Date/);
    expect(() => formatSoql("x = 'open", {})).toThrow(/unterminated/);
    expect(() => formatSoql("d = :d:date", { d: "2024-02-30" })).toThrow(/YYYY-MM-DD/);
  });
  it("writes big and small numbers without exponent notation", () => {
    expect(
      formatSoql(":a :b :c :d :e", { a: 1e21, b: 12345678901234567890n, c: -0.5, d: 1.5e-7, e: -2.5e22 }),
    ).toBe("1000000000000000000000 12345678901234567890 -0.5 0.00000015 -25000000000000000000000");
  });
});

describe("soql tagged template", () => {
  it("escapes every interpolated value", () => {
    const name = "O'Brien \\ Co";
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(
      soql`SELECT Id FROM Contact WHERE LastName = ${name} AND CreatedDate > ${date} AND Id IN ${["a", "b"]}`,
    ).toBe(
      "SELECT Id FROM Contact WHERE LastName = 'O\\'Brien \\\\ Co' AND CreatedDate > 2024-01-02T03:04:05Z AND Id IN ('a','b')",
    );
  });
  it("takes helpers for dates, LIKE and raw text", () => {
    expect(
      soql`CloseDate = ${soqlDate("2024-01-02")} AND Name LIKE ${soqlLike("50%_off", "startsWith")} ORDER BY ${soqlRaw("Name")}`,
    ).toBe("CloseDate = 2024-01-02 AND Name LIKE '50\\%\\_off%' ORDER BY Name");
  });
  it("an injection attempt stays inside the literal", () => {
    const evil = "x' OR Name != '";
    expect(soql`Name = ${evil}`).toBe("Name = 'x\\' OR Name != \\''");
  });
});

describe("dates", () => {
  it("date-only strings never shift by time zone", () => {
    expect(toSoqlDate("2024-01-02")).toBe("2024-01-02");
    expect(toSoqlDateTime(new Date("2024-01-02T00:00:00+05:00"))).toBe("2024-01-01T19:00:00Z");
  });
});

describe("SOSL escaping (F09)", () => {
  it("escapes each reserved character exactly once", () => {
    expect(escapeSosl("a-b@x.com")).toBe("a\\-b@x.com");
    expect(escapeSosl("Jones & Co + {x}")).toBe("Jones \\& Co \\+ \\{x\\}");
    expect(escapeSosl("back\\slash")).toBe("back\\\\slash");
    for (const c of SOSL_RESERVED) expect(escapeSosl(c)).toBe(`\\${c}`);
    expect(escapeSosl("plain text é")).toBe("plain text é");
  });
  it("quickSearch wraps in FIND {...}", () => {
    expect(buildQuickSearch("Jones & Co")).toBe("FIND {Jones \\& Co}");
    expect(buildQuickSearch("x", { in: "NAME", returning: "Contact(Id)", limit: 5 })).toBe(
      "FIND {x} IN NAME FIELDS RETURNING Contact(Id) LIMIT 5",
    );
    expect(() => buildQuickSearch("  ")).toThrow(ConfigurationError);
    expect(() => buildQuickSearch("x", { limit: 0 })).toThrow(/positive/);
  });
});

describe("path segments", () => {
  it("encodes everything outside A-Z a-z 0-9 - _ . ~", () => {
    expect(encodePathSegment("a/b c#d%e?f'g(h)*!~")).toBe("a%2Fb%20c%23d%25e%3Ff%27g%28h%29%2A%21~");
  });
});

import { describe, expect, expectTypeOf, it } from "vitest";
import type { CLIENT_OPTION_NAMES, REQUEST_OPTION_NAMES } from "../src/client.js";
import type { ClientOptions, RequestOptions } from "../src/index.js";
import { ConfigurationError, checkOptionNames, createClient } from "../src/index.js";

describe("misspelt options are refused, not ignored", () => {
  it("CLIENT_OPTION_NAMES is every key of ClientOptions", () => {
    expectTypeOf<Exclude<keyof ClientOptions, (typeof CLIENT_OPTION_NAMES)[number]>>().toEqualTypeOf<never>();
  });

  it.each([
    ["timeot", "timeout"],
    ["session_id", "sessionId"],
    ["instance_url", "instanceUrl"],
    ["apiversion", "apiVersion"],
    ["ClientId", "clientId"],
    ["header", "headers"],
  ])("createClient({ %s }) says to write %s, without the value", (key, meant) => {
    const make = () =>
      createClient({ instanceUrl: "https://x.my.salesforce.com", [key]: "Canary-Value" } as ClientOptions);
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(`createClient() has no option "${key}": did you mean "${meant}"?`);
    expect(() => make()).not.toThrow(/Canary/);
  });

  it("keys that resemble no option are left alone", () => {
    expect(() =>
      createClient({ instanceUrl: "https://x.my.salesforce.com", appName: "x" } as ClientOptions),
    ).not.toThrow();
  });

  it("checkOptionNames serves plugins and strategies too, with their own renames", () => {
    expect(() =>
      checkOptionNames({ extIdField: "x" }, ["externalIdField"], "bulk2.upsert()", {
        extIdField: "externalIdField",
      }),
    ).toThrow('bulk2.upsert() has no option "extIdField": did you mean "externalIdField"?');
    expect(() => checkOptionNames({ records: [] }, ["records", "csv"], "x")).not.toThrow();
  });

  it("REQUEST_OPTION_NAMES is every key of RequestOptions", () => {
    expectTypeOf<
      Exclude<keyof RequestOptions, (typeof REQUEST_OPTION_NAMES)[number]>
    >().toEqualTypeOf<never>();
  });

  it.each([
    ["timout", "timeout"],
    ["header", "headers"],
    ["responsetype", "responseType"],
    ["params", "query"],
    ["data", "body"],
  ])("request({ %s }) says to write %s before anything is sent", async (key, meant) => {
    let sent = 0;
    const client = createClient({
      instanceUrl: "https://x.my.salesforce.com",
      sessionId: "00D!x",
      transport: () => ({
        name: "counting",
        async send() {
          sent++;
          return { status: 200, headers: {}, body: null };
        },
      }),
    });
    const call = client.request({ path: "limits", [key]: "Canary-Value" } as RequestOptions);
    await expect(call).rejects.toThrow(ConfigurationError);
    await expect(call).rejects.toThrow(`request() has no option "${key}": did you mean "${meant}"?`);
    expect(sent).toBe(0);
    await expect(client.request({ path: "limits", note: "x" } as RequestOptions)).resolves.toMatchObject({
      status: 200,
    });
  });
});

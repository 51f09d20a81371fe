import { type TransportFactory, createClient } from "@sfkit/core";
import { MockAgent } from "undici";
import { describe, expectTypeOf, it } from "vitest";
import { type UndiciTransportOptions, undiciTransport } from "../src/index.js";

describe("undiciTransport in types", () => {
  it("is a core TransportFactory that createClient takes", () => {
    expectTypeOf(undiciTransport()).toEqualTypeOf<TransportFactory>();
    createClient({ transport: undiciTransport({ connections: null, allowH2: true }) });
    createClient({ transport: undiciTransport({ dispatcher: new MockAgent() }) });
  });

  it("rejects unknown options", () => {
    // @ts-expect-error: not an option
    undiciTransport({ maxSockets: 10 });
    expectTypeOf<UndiciTransportOptions["bodyTimeout"]>().toEqualTypeOf<number | undefined>();
  });
});

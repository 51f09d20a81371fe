// The whole fault matrix again on @sfkit/transport-undici, which hands out its connections
// itself: every fault must end the same way as on the default transport.
import { undiciTransport } from "@sfkit/transport-undici";
import { describe } from "vitest";
import { matrixSuite } from "./support/matrix-suite.js";

describe("on @sfkit/transport-undici", () => {
  matrixSuite(
    [
      "503-once",
      "503-retry-after",
      "refused",
      "reset-before",
      "reset-mid-body",
      "timeout",
      "401-expired",
      "html-500",
      "malformed-json",
      "403-limit",
      "300-upsert",
    ],
    { transport: undiciTransport() },
  );
});

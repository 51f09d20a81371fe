import { defineConfig } from "vitest/config";

// One vitest run for the whole repository, on sources (the "@sfkit/source" export
// condition), so that the tests never depend on a stale build.
export default defineConfig({
  resolve: { conditions: ["@sfkit/source"] },
  ssr: { resolve: { conditions: ["@sfkit/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "bench/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    typecheck: {
      enabled: true,
      include: ["packages/*/test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.typetests.json",
    },
  },
});

#!/usr/bin/env node
// Bundles a package's src/index.ts into dist/index.js (one ESM file, dependencies left
// external), after tsc has written the declarations. One file loads several times faster
// than tsc's tree of small modules: Node's ESM loader pays per file, and import cost
// matters for CLIs and serverless cold starts (bench case 6).
// Usage, from a package folder: node ../../scripts/bundle-esm.mjs
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
await build({
  entryPoints: ["src/index.ts"],
  outfile: "dist/index.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external,
  logLevel: "warning",
});
// tsc's per-module .js files are now dead weight in the tarball; the .d.ts files stay.
for (const file of readdirSync("dist", { recursive: true })) {
  const name = String(file);
  if (/\.js(\.map)?$/.test(name) && name !== "index.js" && name !== "index.js.map")
    rmSync(join("dist", name));
}

#!/usr/bin/env node
// Creates the skeleton of a workspace package with the shared conventions:
// node scripts/scaffold-package.mjs <dir-name> "<description>"
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [name, description = ""] = process.argv.slice(2);
if (!name) throw new Error("usage: scaffold-package.mjs <dir-name> [description]");
const dir = join("packages", name);
if (existsSync(join(dir, "package.json"))) process.exit(0);
mkdirSync(join(dir, "src"), { recursive: true });
mkdirSync(join(dir, "test"), { recursive: true });
const pkg = {
  name: `@sfkit/${name}`,
  version: "0.1.0",
  description,
  license: "MIT",
  type: "module",
  sideEffects: false,
  engines: { node: ">=20.19" },
  repository: { type: "git", url: "https://github.com/sfkit/sfkit.git", directory: dir },
  files: ["dist", "src"],
  exports: {
    ".": { "@sfkit/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
    "./package.json": "./package.json",
  },
  main: "./dist/index.js",
  types: "./dist/index.d.ts",
  scripts: {
    build: "tsc -p tsconfig.build.json",
    typecheck: "tsc -p tsconfig.json",
    lint: "publint",
    test: `vitest run --root ../.. packages/${name}/`,
  },
  publishConfig: { access: "public" },
};
writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(dir, "tsconfig.json"),
  `${JSON.stringify(
    {
      extends: "../../tsconfig.base.json",
      compilerOptions: {
        noEmit: true,
        customConditions: ["@sfkit/source"],
        allowImportingTsExtensions: true,
      },
      include: ["src", "test"],
    },
    null,
    2,
  )}\n`,
);
writeFileSync(
  join(dir, "tsconfig.build.json"),
  `${JSON.stringify(
    {
      extends: "../../tsconfig.base.json",
      compilerOptions: { rootDir: "src", outDir: "dist" },
      include: ["src"],
    },
    null,
    2,
  )}\n`,
);
writeFileSync(join(dir, "src/index.ts"), "export {};\n");
writeFileSync(join(dir, "README.md"), `# @sfkit/${name}\n\n> ${description}\n`);

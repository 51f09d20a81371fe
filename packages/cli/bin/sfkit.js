#!/usr/bin/env node
// The sfkit binary: turn on Node's compile cache where it exists (Node >= 22.1), then run.
import module from "node:module";

if (typeof module.enableCompileCache === "function") module.enableCompileCache();
const { runFromProcess } = await import("../dist/main.js");
await runFromProcess();

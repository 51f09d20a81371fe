// Case 6: cold start. Import time of each package (in a fresh process each time), the
// `sfkit --version` wall time, and what each package costs to install: packed size,
// installed size and runtime dependency count, against jsforce's.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { median } from "./util.mjs";

export const SFKIT_PACKAGES = [
  "@sfkit/core",
  "@sfkit/transport-undici",
  "@sfkit/auth-soap",
  "@sfkit/auth-oauth",
  "@sfkit/rest",
  "@sfkit/bulk",
  "@sfkit/apex",
  "@sfkit/salesforce",
  "@sfkit/cli",
];

/** Milliseconds spent in `await import(name)` in a fresh node process, median of `runs`. */
export function importTime(name, { cwd, runs }) {
  const code = `const t=performance.now();await import(${JSON.stringify(name)});process.stdout.write(String(performance.now()-t))`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd, encoding: "utf8" });
    if (r.status !== 0) {
      const lines = r.stderr.trim().split("\n");
      return { error: (lines.find((l) => /Error/.test(l)) ?? lines[0] ?? "").slice(0, 200) };
    }
    times.push(Number(r.stdout));
  }
  return { ms: median(times), runs: times };
}

/** Wall time of a whole command (process start to exit), median of `runs`. */
export function commandTime(cmd, args, { cwd, runs }) {
  const times = [];
  let output = "";
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
    const ms = performance.now() - t0;
    if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ") };
    output = r.stdout.trim();
    times.push(ms);
  }
  return { ms: median(times), output };
}

function dirSize(dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      if (entry.name === "node_modules") continue;
      const sub = dirSize(full);
      bytes += sub.bytes;
      files += sub.files;
    } else if (entry.isFile()) {
      bytes += statSync(full).size;
      files++;
    }
  }
  return { bytes, files };
}

/** Where Node would find `dep` from `dir` (node_modules lookup, pnpm's layout included). */
function locate(dep, dir) {
  for (let p = dir; p !== dirname(p); p = dirname(p)) {
    const candidate = basename(p) === "node_modules" ? join(p, dep) : join(p, "node_modules", dep);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
  }
  return undefined;
}

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

/** Bytes a package puts on disk when installed: its published files only. */
function installedBytes(dir, pkg) {
  if (!pkg.files) return dirSize(dir).bytes;
  let bytes = 0;
  for (const entry of readdirSync(dir)) {
    const listed =
      pkg.files.some((f) => f.replace(/^\.\//, "").replace(/\/.*$/, "") === entry) ||
      entry === "package.json" ||
      /^(readme|license|licence|changelog)/i.test(entry);
    if (!listed) continue;
    const full = join(dir, entry);
    const st = statSync(full);
    bytes += st.isDirectory() ? dirSize(full).bytes : st.size;
  }
  return bytes;
}

/**
 * The runtime dependency closure of a package (dependencies and optionalDependencies,
 * transitively; peers are the user's own install), with the installed bytes of each.
 */
export function closure(dir) {
  const seen = new Map();
  const walk = (d) => {
    const pkg = readJson(join(d, "package.json"));
    const key = `${pkg.name}@${pkg.version}`;
    if (seen.has(key)) return;
    seen.set(key, installedBytes(d, pkg));
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const found = locate(dep, d);
      if (found) walk(found);
    }
  };
  walk(dir);
  const [self, ...deps] = [...seen.entries()];
  const top = readJson(join(dir, "package.json"));
  return {
    name: self[0],
    direct: Object.keys({ ...top.dependencies, ...top.optionalDependencies }),
    ownBytes: self[1],
    deps: deps.map(([k]) => k),
    installedBytes: [...seen.values()].reduce((a, b) => a + b, 0),
  };
}

/** The gzipped tarball size: `pnpm pack` for our packages, the installed folder for jsforce. */
function packedBytes(dir, workspace) {
  const out = mkdtempSync(join(tmpdir(), "sfkit-pack-"));
  try {
    if (workspace) {
      execFileSync("pnpm", ["pack", "--pack-destination", out], { cwd: dir, stdio: "ignore" });
    } else {
      execFileSync("tar", [
        "-czf",
        join(out, "p.tgz"),
        "--exclude=node_modules",
        "-C",
        dirname(dir),
        basename(dir),
      ]);
    }
    const tgz = readdirSync(out).find((f) => f.endsWith(".tgz"));
    return statSync(join(out, tgz)).size;
  } catch {
    return undefined;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Where to import a package from: our packages resolve their own name (package self-reference),
 * so each is imported from its own folder, exactly as its users would get it from `dist/`.
 */
export function importDir(name, { root, cwd }) {
  return name.startsWith("@sfkit/") ? join(root, "packages", name.slice("@sfkit/".length)) : cwd;
}

export function packageCosts(name, { cwd }) {
  const dir = locate(name, cwd) ?? (existsSync(join(cwd, "package.json")) ? realpathSync(cwd) : undefined);
  if (!dir) return { error: "not installed" };
  const c = closure(dir);
  return { ...c, packedBytes: packedBytes(dir, name.startsWith("@sfkit/")) };
}

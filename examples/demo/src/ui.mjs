// Terminal output for the demo: sections, aligned tables, timings and a progress line.
// Colour and in-place progress only on a TTY (and never with NO_COLOR set).

/**
 * @param {NodeJS.WritableStream & { isTTY?: boolean, columns?: number }} out
 * @param {{ color?: boolean }} [options]
 */
export function createUi(out, options = {}) {
  const tty = out.isTTY === true;
  const color = options.color ?? (tty && !process.env.NO_COLOR && process.env.TERM !== "dumb");
  const paint = (code) => (text) => (color ? `\u001b[${code}m${text}\u001b[0m` : String(text));
  const bold = paint("1");
  const dim = paint("2");
  const green = paint("32");
  const red = paint("31");
  const cyan = paint("36");
  const write = (line = "") => out.write(`${line}\n`);
  let progressOpen = false;

  const endProgress = () => {
    if (progressOpen) {
      out.write("\n");
      progressOpen = false;
    }
  };

  return {
    tty,
    color,
    bold,
    dim,
    green,
    red,
    cyan,
    line(text = "") {
      endProgress();
      write(text);
    },
    title(text) {
      endProgress();
      write(bold(text));
      write(dim("═".repeat(Math.min(72, [...text].length))));
    },
    section(number, text) {
      endProgress();
      write();
      write(`${cyan(`${number}.`)} ${bold(text)}`);
    },
    /** "label ........ value" lines, aligned. */
    facts(pairs) {
      endProgress();
      const width = Math.max(...pairs.map(([label]) => label.length));
      for (const [label, value] of pairs) write(`   ${label.padEnd(width)}  ${value}`);
    },
    ok(text, ms) {
      endProgress();
      write(`   ${green("✔")} ${text}${ms === undefined ? "" : dim(`  (${formatMs(ms)})`)}`);
    },
    fail(text) {
      endProgress();
      write(`   ${red("✖")} ${text}`);
    },
    note(text) {
      endProgress();
      write(`   ${dim(text)}`);
    },
    /** An aligned table: numbers right-aligned, text left-aligned, long cells cut. */
    table(rows, columns) {
      endProgress();
      const cols = columns ?? Object.keys(rows[0] ?? {});
      const cell = (value) => {
        if (value === null || value === undefined) return "";
        const text = typeof value === "number" ? formatNumber(value) : String(value);
        return text.length > 40 ? `${text.slice(0, 39)}…` : text;
      };
      const numeric = cols.map(
        (c) => rows.length > 0 && rows.every((r) => r[c] == null || typeof r[c] === "number"),
      );
      const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
      const render = (values, isHeader) =>
        `   ${values
          .map((v, i) => (numeric[i] && !isHeader ? v.padStart(widths[i]) : v.padEnd(widths[i])))
          .join("  ")
          .trimEnd()}`;
      write(bold(render(cols, true)));
      write(dim(`   ${widths.map((w) => "─".repeat(w)).join("  ")}`));
      for (const row of rows)
        write(
          render(
            cols.map((c) => cell(row[c])),
            false,
          ),
        );
    },
    /**
     * A progress line: rewritten in place on a TTY; elsewhere printed only when `milestone`
     * is true (so logs stay short).
     */
    progress(text, { milestone = false } = {}) {
      if (tty) {
        out.write(`\r\u001b[2K   ${text}`);
        progressOpen = true;
      } else if (milestone) {
        write(`   ${text}`);
      }
    },
    endProgress,
  };
}

export function formatMs(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatNumber(n) {
  return Number.isInteger(n)
    ? n.toLocaleString("en-US")
    : n.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** A text progress bar, e.g. "███████░░░ 70%". */
export function bar(done, total, width = 24) {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `${"█".repeat(filled)}${"░".repeat(width - filled)} ${String(Math.round(ratio * 100)).padStart(3)}%`;
}

/** Runs `fn` and returns [result, elapsed ms]. */
export async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

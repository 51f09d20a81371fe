import { describe, expect, it } from "vitest";
// @ts-expect-error: the bench is plain JavaScript (no declarations)
import { evaluateTargets, pairedRatio } from "../src/report.mjs";

/** Results as main.mjs records them: one entry per client per round, with the round number. */
function resultsOf(rounds: Record<string, number[]>, field = "rps") {
  const get: Record<string, Array<Record<string, number>>> = {};
  for (const [client, values] of Object.entries(rounds)) {
    get[client] = values.map((value, run) => ({ run, [field]: value }));
  }
  return { cases: { get }, settings: { sizes: { queryBig: 500_000, bulk: 1_000_000 } } };
}

describe("bench report: paired ratios", () => {
  it("takes the ratio within each round, then the median, so a slow round slows every client in it alike", () => {
    // round 1 is a busy spell for both; the ratio of the medians (900 / 1000) would hide that sfkit is 0.95× in every round
    const results = resultsOf({ sfkit: [950, 475, 950], bare: [1000, 500, 1000] });
    expect(pairedRatio(results, "get", "sfkit", "bare", "rps")).toBeCloseTo(0.95, 10);
  });

  it("pairs by round number, not by position: a failed measurement leaves the other rounds paired", () => {
    const results = resultsOf({ bare: [1000, 500, 2000] });
    results.cases.get.sfkit = [
      { run: 0, rps: 900 },
      { run: 2, rps: 1600 },
    ];
    // rounds 0 and 2: 0.9 and 0.8, median 0.85 (by position it would have been 0.9 and 3.2)
    expect(pairedRatio(results, "get", "sfkit", "bare", "rps")).toBeCloseTo(0.85, 10);
  });

  it("falls back to the ratio of the medians for results recorded without round numbers", () => {
    const results = resultsOf({ bare: [1000, 800, 1200] });
    results.cases.get.sfkit = [{ rps: 450 }, { rps: 500 }, { rps: 550 }];
    expect(pairedRatio(results, "get", "sfkit", "bare", "rps")).toBeCloseTo(0.5, 10);
  });

  it("passes an overhead target only when the paired ratio and the ratio of the medians both reach it", () => {
    const results = resultsOf({
      "sfkit (undici)": [920, 460, 1840],
      "bare undici Pool": [1000, 500, 2000],
    });
    const target = evaluateTargets(results).find((t: { name: string }) =>
      t.name.startsWith("sfkit (undici) ≥ 0.9×"),
    );
    expect(target).toMatchObject({ verdict: "PASS" });
    expect(target.measured).toContain("0.920×");
    expect(target.measured).toContain("ratio of medians 0.920×");
    // paired 0.95× (median of 0.95, 0.95, 0.80, 1.33, 1.33), but the medians give 800 / 1000
    const disagreeing = resultsOf({
      "sfkit (undici)": [950, 950, 800, 800, 800],
      "bare undici Pool": [1000, 1000, 1000, 600, 600],
    });
    const split = evaluateTargets(disagreeing).find((t: { name: string }) =>
      t.name.startsWith("sfkit (undici) ≥ 0.9×"),
    );
    expect(split.measured).toMatch(/^0\.950× \(ratio of medians 0\.800×/);
    expect(split.verdict).toBe("MISS");
    const slower = resultsOf({ "sfkit (undici)": [880, 440, 1760], "bare undici Pool": [1000, 500, 2000] });
    expect(
      evaluateTargets(slower).find((t: { name: string }) => t.name.startsWith("sfkit (undici) ≥ 0.9×")),
    ).toMatchObject({ verdict: "MISS" });
  });
});

// Pure unit test of the polling schedule (fake clock): the waits grow by half up to
// maxPollInterval, and the time-out comes from pollTimeout with the last value seen.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pollUntil, resolvePoll } from "../src/poll.js";

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("pollUntil", () => {
  it("backs off by half each time up to maxPollInterval", async () => {
    const poll = resolvePoll({}, { pollInterval: 100, maxPollInterval: 300, pollTimeout: 60_000 });
    const times: number[] = [];
    const done = pollUntil(
      poll,
      async () => {
        times.push(Date.now());
        return times.length;
      },
      (n) => n === 7,
      () => new Error("timed out"),
    );
    await vi.runAllTimersAsync();
    expect(await done).toBe(7);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toEqual([100, 150, 225, 300, 300, 300]);
  });

  it("gives up at pollTimeout with the last value seen", async () => {
    const poll = resolvePoll({}, { pollInterval: 100, maxPollInterval: 100, pollTimeout: 450 });
    let checks = 0;
    const outcome = pollUntil(
      poll,
      async () => ++checks,
      () => false,
      (last) => new Error(`timed out after check ${last}`),
    ).catch((e: Error) => e);
    await vi.runAllTimersAsync();
    const error = await outcome;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`timed out after check ${checks}`);
    expect(checks).toBe(6);
  });
});

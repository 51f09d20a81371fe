import { getEventListeners } from "node:events";

/**
 * The abort controllers of request attempts, reused while they have never fired.
 *
 * In Node 20 the first listener added to a fresh AbortSignal costs about 15 µs, and every
 * transport adds one per request (undici and node-fetch listen for the abort): more than
 * the rest of core's request path. A controller that never aborted and that no transport
 * still listens to is as good as new, so it goes back to a small free list.
 */
const spare: AbortController[] = [];
const MAX_SPARE = 64;

export function takeAttemptController(): AbortController {
  return spare.pop() ?? new AbortController();
}

/** Gives a finished attempt's controller back; one that fired or is still listened to is dropped. */
export function releaseAttemptController(controller: AbortController): void {
  if (controller.signal.aborted || spare.length >= MAX_SPARE) return;
  if (getEventListeners(controller.signal, "abort").length > 0) return;
  spare.push(controller);
}

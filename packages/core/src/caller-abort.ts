/**
 * One listener per caller signal, however many requests share it, and none once no request
 * follows it. A signal given to many concurrent requests (one AbortController for a batch)
 * would otherwise carry one listener per request in flight, and Node warns past ten
 * (MaxListenersExceededWarning); a signal that outlives its requests keeps nothing of them.
 */
interface Followers {
  readonly waiting: Set<() => void>;
  readonly listener: () => void;
}

const bySignal = new WeakMap<AbortSignal, Followers>();

/** Calls `onAbort` when `signal` aborts; returns the function that stops following it. */
export function followAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let followers = bySignal.get(signal);
  if (!followers) {
    const waiting = new Set<() => void>();
    const listener = () => {
      bySignal.delete(signal);
      for (const follower of [...waiting]) follower();
      waiting.clear();
    };
    followers = { waiting, listener };
    bySignal.set(signal, followers);
    signal.addEventListener("abort", listener, { once: true });
  }
  const { waiting, listener } = followers;
  waiting.add(onAbort);
  return () => {
    if (!waiting.delete(onAbort) || waiting.size > 0) return;
    if (bySignal.get(signal)?.waiting === waiting) bySignal.delete(signal);
    signal.removeEventListener("abort", listener);
  };
}

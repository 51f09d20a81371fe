/**
 * Hooks with before-after-hook's verbs and order: everything is a `wrap`, and the hook
 * registered last runs outermost. Core registers none of its own; auth and retry sit
 * below every hook, so a hook sees one logical request and its final outcome.
 */
type AnyMethod<O, R> = (options: O) => Promise<R>;

export interface HookCollection {
  /** Runs before the request; may change the prepared options. */
  before<O>(name: string, fn: (options: O) => void | Promise<void>): void;
  /** Runs after a successful response; may change it. */
  after<O, R>(name: string, fn: (result: R, options: O) => void | Promise<void>): void;
  /** Runs on failure; return a value to recover, throw to fail. */
  error<O, R>(name: string, fn: (error: unknown, options: O) => R | Promise<R>): void;
  /** Wraps the whole call. */
  wrap<O, R>(name: string, fn: (method: AnyMethod<O, R>, options: O) => Promise<R>): void;
  /** Removes a hook registered with any verb. */
  remove(name: string, fn: (...args: never[]) => unknown): void;
  /** Runs `method` through every hook registered under `name`. */
  run<O, R>(name: string, method: AnyMethod<O, R>, options: O): Promise<R>;
}

interface Registration {
  original: (...args: never[]) => unknown;
  wrap: (method: AnyMethod<unknown, unknown>, options: unknown) => Promise<unknown>;
}

export function createHookCollection(): HookCollection {
  const registry = new Map<string, Registration[]>();
  const register = (name: string, original: Registration["original"], wrap: Registration["wrap"]) => {
    const list = registry.get(name) ?? [];
    list.push({ original, wrap });
    registry.set(name, list);
  };
  return {
    before(name, fn) {
      register(name, fn as never, async (method, options) => {
        await (fn as (o: unknown) => unknown)(options);
        return method(options);
      });
    },
    after(name, fn) {
      register(name, fn as never, async (method, options) => {
        const result = await method(options);
        await (fn as (r: unknown, o: unknown) => unknown)(result, options);
        return result;
      });
    },
    error(name, fn) {
      register(name, fn as never, async (method, options) => {
        try {
          return await method(options);
        } catch (error) {
          return (fn as (e: unknown, o: unknown) => unknown)(error, options);
        }
      });
    },
    wrap(name, fn) {
      register(name, fn as never, fn as Registration["wrap"]);
    },
    remove(name, fn) {
      const list = registry.get(name);
      if (!list) return;
      registry.set(
        name,
        list.filter((entry) => entry.original !== fn),
      );
    },
    run(name, method, options) {
      const list = registry.get(name);
      if (!list || list.length === 0) return method(options); // the common case: no hooks

      const composed = list.reduce<AnyMethod<unknown, unknown>>(
        (inner, entry) => (opts) => entry.wrap(inner, opts),
        method as AnyMethod<unknown, unknown>,
      );
      return composed(options) as Promise<never>;
    },
  };
}

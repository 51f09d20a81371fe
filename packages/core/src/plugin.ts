import type { ClientBase } from "./client-base.js";

/**
 * A plugin receives the client and returns the keys it adds. `Needs` names the keys it
 * requires from plugins added before it: extending a client that lacks them is a
 * compile error.
 */
export type Plugin<Needs extends object = {}, Adds extends object = {}> = ((
  client: Client<Needs>,
) => Adds) & {
  /** Used to make re-adding the same plugin a no-op. */
  readonly pluginName?: string;
  readonly VERSION?: string;
};

/** Keys a plugin may not return: they belong to the client. */
type Reserved = keyof ClientBase | "extend";

/** A client with the keys `E` added by plugins. */
export type Client<E extends object = {}> = ClientBase &
  E & {
    /** Returns a new client with the plugin's keys added (hooks and session are shared). */
    extend<X extends object & { [K in Reserved]?: never }>(
      plugin: ((client: Client<E>) => X) & { pluginName?: string },
    ): Client<E & X>;
  };

/** The keys a plugin adds, for typing plugins that build on it: `Plugin<PluginKeys<typeof rest>>`. */
export type PluginKeys<P> = P extends (...args: never[]) => (client: never) => infer X
  ? X
  : P extends (client: never) => infer X
    ? X
    : never;

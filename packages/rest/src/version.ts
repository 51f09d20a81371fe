/** The version of @sfkit/rest. */
export const VERSION = "0.1.0";

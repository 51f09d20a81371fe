import { createClient } from "@sfkit/core";
import { expect, it } from "vitest";

/**
 * A web stream that is not Node's own (a polyfill's, as older fetch libraries return): it has
 * getReader() and can be iterated, but Node's Readable.fromWeb refuses it.
 */
function polyfilledBody(text: string) {
  const bytes = new TextEncoder().encode(text);
  return {
    getReader() {
      let done = false;
      return {
        read: async () => {
          if (done) return { done: true, value: undefined };
          done = true;
          return { done: false, value: bytes };
        },
        releaseLock() {},
        cancel: async () => undefined,
      };
    },
    async *[Symbol.asyncIterator]() {
      yield bytes;
    },
  };
}

it("a fetch whose body is a web stream of another implementation (a polyfill's) is read as it is", async () => {
  const fetch = async () => ({
    status: 200,
    headers: new Headers({ "content-type": "application/json" }),
    body: polyfilledBody('{"ok":true}') as never,
  });
  const client = createClient({
    instanceUrl: "https://x.my.salesforce.com",
    sessionId: "s",
    fetch,
    retry: { limit: 0 },
  });
  await expect(client.request({ path: "x" })).resolves.toMatchObject({ data: { ok: true } });
});

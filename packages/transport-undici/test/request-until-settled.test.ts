import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { SettlingHandler } from "../src/request-until-settled.js";

const events = (prototype: object) =>
  Object.getOwnPropertyNames(prototype)
    .filter((name) => name.startsWith("on"))
    .sort();

it("the settling handler passes on every event that undici's request handler takes", () => {
  // undici's request() handler is internal: if an upgrade gives it a new event, this fails
  // instead of the event being dropped on the way.
  const { RequestHandler } = createRequire(import.meta.url)("undici/lib/api/api-request.js");
  expect(events(RequestHandler.prototype)).toContain("onComplete");
  expect(events(SettlingHandler.prototype)).toEqual(events(RequestHandler.prototype));
});

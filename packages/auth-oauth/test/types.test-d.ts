import { type AuthStrategy, createClient } from "@sfkit/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  clientCredentialsGrant,
  jwtBearerGrant,
  type OAuthStrategy,
  passwordGrant,
  refreshTokenGrant,
} from "../src/index.js";

describe("auth-oauth types", () => {
  it("every grant is an AuthStrategy that createClient takes", () => {
    const strategies = [
      passwordGrant({ username: "u", password: "p", consumerKey: "k", consumerSecret: "s" }),
      refreshTokenGrant({ refreshToken: "r", consumerKey: "k" }),
      jwtBearerGrant({ username: "u", consumerKey: "k", privateKeyFile: "server.key" }),
      clientCredentialsGrant({ consumerKey: "k", consumerSecret: "s", domain: "acme.my" }),
    ];
    expectTypeOf(strategies).toEqualTypeOf<OAuthStrategy[]>();
    expectTypeOf<OAuthStrategy>().toMatchTypeOf<AuthStrategy>();
    createClient({ auth: strategies[0]! });
  });

  it("required options are required", () => {
    // @ts-expect-error consumerSecret is required for the password grant
    passwordGrant({ username: "u", password: "p", consumerKey: "k" });
    // @ts-expect-error consumerKey is required
    refreshTokenGrant({ refreshToken: "r" });
    // @ts-expect-error privateKey is PEM text or bytes, not a number
    jwtBearerGrant({ username: "u", consumerKey: "k", privateKey: 42 });
  });
});

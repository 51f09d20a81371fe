export { passwordGrant, type PasswordGrantOptions } from "./password-grant.js";
export { refreshTokenGrant, type RefreshTokenGrantOptions } from "./refresh-token-grant.js";
export { jwtBearerGrant, audienceFor, type JwtBearerGrantOptions } from "./jwt-bearer-grant.js";
export { clientCredentialsGrant, type ClientCredentialsGrantOptions } from "./client-credentials-grant.js";
export type { OAuthStrategy } from "./oauth-strategy.js";
export { signJwt, loadPrivateKey, type JwtClaims } from "./jwt.js";
export { resolveLoginUrl, type LoginUrlOptions } from "@sfkit/core";
export type { TokenResponse } from "./token-request.js";

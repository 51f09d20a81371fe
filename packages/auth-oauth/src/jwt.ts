import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigurationError, fileReadError } from "@sfkit/core";
import { PKG } from "./token-request.js";

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  /** Expiry in UTC epoch seconds (an integer, as RFC 7519 NumericDate requires). */
  exp: number;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

/** An RS256-signed JWT (RFC 7519 / 7515 compact form) with node:crypto. */
export function signJwt(claims: JwtClaims, key: KeyObject): string {
  const header = base64url(JSON.stringify({ alg: "RS256" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${base64url(signature)}`;
}

/**
 * Reads an RSA private key given as PEM text or a file path, with a clear
 * ConfigurationError (that never quotes the key) when it is not one.
 */
export function loadPrivateKey(options: {
  privateKey?: unknown;
  privateKeyFile?: unknown;
  privateKeyPassphrase?: unknown;
}): { key: KeyObject; pem: string } {
  const { privateKey, privateKeyFile, privateKeyPassphrase } = options;
  if (privateKey !== undefined && privateKeyFile !== undefined) {
    throw new ConfigurationError(`[${PKG}] give privateKey (PEM text) or privateKeyFile (a path), not both.`);
  }
  if (privateKeyPassphrase !== undefined && typeof privateKeyPassphrase !== "string") {
    throw new ConfigurationError(`[${PKG}] privateKeyPassphrase must be a string.`);
  }
  let pem: string;
  let source: string;
  if (privateKeyFile !== undefined) {
    if (typeof privateKeyFile !== "string" || !privateKeyFile) {
      throw new ConfigurationError(`[${PKG}] privateKeyFile must be the path of a PEM file.`);
    }
    try {
      pem = readFileSync(privateKeyFile, "utf8");
    } catch (cause) {
      const problem = fileReadError({
        path: privateKeyFile,
        option: "privateKeyFile of jwtBearerGrant()",
        hint: "It should be the PEM private key whose certificate the connected app holds.",
        cause,
      });
      // This package's errors all start with its name.
      throw new ConfigurationError(`[${PKG}] ${problem.message}`, { code: problem.code, cause });
    }
    source = `privateKeyFile ${privateKeyFile}`;
  } else if (typeof privateKey === "string" || privateKey instanceof Uint8Array) {
    pem = typeof privateKey === "string" ? privateKey : Buffer.from(privateKey).toString("utf8");
    source = "privateKey";
  } else {
    throw new ConfigurationError(
      `[${PKG}] jwtBearerGrant() needs privateKey (PEM text) or privateKeyFile (a path to a PEM file).`,
    );
  }
  if (!/-----BEGIN (?:RSA |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    const looksLikePath =
      source === "privateKey" && !pem.includes("\n") && /[/\\.]/.test(pem) && pem.length < 512;
    const isCert = /-----BEGIN CERTIFICATE-----|-----BEGIN PUBLIC KEY-----/.test(pem);
    throw new ConfigurationError(
      `[${PKG}] ${source} is not a PEM private key: it must contain "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----".${
        isCert
          ? " This is a certificate or public key: the connected app holds the certificate, sfkit needs the private key."
          : looksLikePath
            ? " To read the key from a file, pass its path as privateKeyFile."
            : ""
      }`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: pem,
      format: "pem",
      ...(typeof privateKeyPassphrase === "string" ? { passphrase: privateKeyPassphrase } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new ConfigurationError(
      `[${PKG}] ${source} could not be read as a private key${code ? ` (${code})` : ""}${
        /ENCRYPTED/.test(pem) && privateKeyPassphrase === undefined
          ? ": it is encrypted, give privateKeyPassphrase."
          : ": check that the PEM text is complete and unchanged."
      }`,
    );
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new ConfigurationError(
      `[${PKG}] ${source} is a ${key.asymmetricKeyType ?? "non-RSA"} key: Salesforce's JWT bearer flow signs with RS256 and needs an RSA key.`,
    );
  }
  return { key, pem };
}

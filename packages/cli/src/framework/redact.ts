const REDACTED = "[redacted]";

/** The secrets known to this run (tokens, passwords, client secrets), kept out of all output. */
export class SecretSet {
  readonly #values = new Set<string>();

  add(...values: Array<string | undefined | null>): void {
    for (const value of values) if (value && value.length >= 4) this.#values.add(value);
  }

  /** Replaces every known secret (and its URL- and XML-encoded forms) in a text. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#values) {
      const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
      for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  }
}

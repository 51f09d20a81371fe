// Fault injection: `org.faults.next(rule)` answers matching requests with the rule instead.

export interface FaultRule {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Path to match: a string matches when the path contains it; a RegExp is tested on path+query. */
  path?: string | RegExp;
  /** How many matching requests the rule applies to (default 1). */
  times?: number;
  /** Status to answer (default 500; 503 for `html`). */
  status?: number;
  /** Body to answer: a string as-is, anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
  /** Wait this long before answering (alone: delay, then handle the request normally). */
  delayMs?: number;
  /** Drop the connection: before any response byte, or halfway through the body. */
  drop?: "before-response" | "mid-body";
  /** Answer Salesforce's maintenance HTML page. */
  html?: true;
  /** Expire the request's session first, then handle the request normally (→ 401). */
  expireSession?: true;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  /** Rules that applied, in order (method, path, rule). */
  readonly history: { method: string; path: string; rule: FaultRule }[] = [];

  /** Adds a rule; it applies to the next `times` matching requests. */
  next(rule: FaultRule): this {
    this.rules.push({ rule, remaining: rule.times ?? 1 });
    return this;
  }

  /** Removes every pending rule. */
  clear(): void {
    this.rules = [];
  }

  /** Number of pending rules. */
  get pending(): number {
    return this.rules.length;
  }

  /** The rule for this request (consumed), if any. */
  take(method: string, pathAndQuery: string): FaultRule | undefined {
    if (this.rules.length === 0) return undefined;
    const path = pathAndQuery.split("?")[0]!;
    for (const active of this.rules) {
      const r = active.rule;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (typeof r.path === "string" && !path.includes(r.path)) continue;
      if (r.path instanceof RegExp) {
        r.path.lastIndex = 0;
        if (!r.path.test(pathAndQuery)) continue;
      }
      active.remaining--;
      if (active.remaining <= 0) this.rules = this.rules.filter((x) => x !== active);
      this.history.push({ method, path, rule: r });
      return r;
    }
    return undefined;
  }
}

export const MAINTENANCE_HTML = `<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html>
<head>
<meta HTTP-EQUIV="PRAGMA" CONTENT="NO-CACHE">
<title>Salesforce - Scheduled Maintenance</title>
</head>
<body>
<h1>Salesforce is down for maintenance</h1>
<p>Salesforce is currently unavailable because of scheduled maintenance. We apologize for the inconvenience. Please try again later.</p>
</body>
</html>
`;

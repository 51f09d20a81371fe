// Apex REST URL mappings (`@RestResource(urlMapping='/Account/*')`) and Salesforce's rules
// for choosing one: the mapping is case-sensitive and starts with "/"; a "*" must follow a
// "/" and, unless it ends the mapping, be followed by one; an exact match always wins,
// otherwise the longest matching wildcard mapping (by string length) is chosen.
// `:name` segments are an emulator convenience (Salesforce only has "*"): they match one
// segment and hand it to the handler as `pathParams.name`.

export interface CompiledMapping {
  /** The mapping as registered, e.g. "/Account/*". */
  readonly pattern: string;
  /** True when the mapping has no "*" and no ":name" segment. */
  readonly exact: boolean;
  /** The decoded path parameters and wildcard text when `path` matches, else undefined. */
  match(segments: readonly string[]): MappingMatch | undefined;
}

export interface MappingMatch {
  pathParams: Record<string, string>;
  /** What the (last) "*" matched, "" when it matched nothing. */
  wildcard: string | undefined;
  /** What each "*" matched, in order. */
  wildcards: string[];
}

/** Checks a urlMapping as Salesforce does when the class is saved; returns its segments. */
export function compileMapping(pattern: string): CompiledMapping {
  if (typeof pattern !== "string" || !pattern.startsWith("/")) {
    throw new TypeError(
      `Apex urlMapping ${JSON.stringify(pattern)} must begin with a forward slash, e.g. "/Account/*".`,
    );
  }
  if (pattern.length > 255) throw new TypeError("An Apex urlMapping can be at most 255 characters long.");
  const parts = pattern.slice(1).split("/");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  for (const part of parts) {
    if (part.includes("*") && part !== "*") {
      throw new TypeError(
        `Apex urlMapping ${JSON.stringify(pattern)}: a "*" must be preceded by "/" and followed by "/" unless it is the last character.`,
      );
    }
    if (part.startsWith(":") && !/^:[A-Za-z_][\w]*$/.test(part)) {
      throw new TypeError(
        `Apex urlMapping ${JSON.stringify(pattern)}: ":${part.slice(1)}" is not a valid parameter name.`,
      );
    }
  }
  const exact = !parts.some((part) => part === "*" || part.startsWith(":"));

  const walk = (i: number, j: number, segments: readonly string[], found: MappingMatch): boolean => {
    if (i === parts.length) return j === segments.length;
    const part = parts[i] as string;
    if (part === "*") {
      if (i === parts.length - 1) {
        found.wildcards.unshift(segments.slice(j).join("/"));
        return true;
      }
      for (let k = j + 1; k <= segments.length; k++) {
        if (walk(i + 1, k, segments, found)) {
          found.wildcards.unshift(segments.slice(j, k).join("/"));
          return true;
        }
      }
      return false;
    }
    if (j >= segments.length) return false;
    const segment = segments[j] as string;
    if (part.startsWith(":")) {
      if (!segment) return false;
      if (!walk(i + 1, j + 1, segments, found)) return false;
      found.pathParams[part.slice(1)] = segment;
      return true;
    }
    return segment === part && walk(i + 1, j + 1, segments, found);
  };

  return {
    pattern,
    exact,
    match(segments) {
      const found: MappingMatch = { pathParams: {}, wildcard: undefined, wildcards: [] };
      if (!walk(0, 0, segments, found)) return undefined;
      found.wildcard = found.wildcards[found.wildcards.length - 1];
      return found;
    },
  };
}

/**
 * The segments of a request path after /services/apexrest (raw, still percent-encoded),
 * decoded one by one; a trailing slash is ignored.
 */
export function pathSegments(rawPath: string): string[] {
  const trimmed = rawPath.replace(/^\/+/, "");
  const segments = trimmed.split("/");
  if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop();
  return segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
}

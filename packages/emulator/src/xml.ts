// A small, forgiving XML reader (SOAP envelopes, Bulk XML, metadata source files) and writer helpers.

export interface XmlElement {
  /** Local name (namespace prefix removed). */
  name: string;
  /** Qualified name as written. */
  qname: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === "#") {
      const code =
        e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;",
  );
}

export class XmlParseError extends Error {}

/** Rejects a bare `&` the way Xerces does (the messages Salesforce returns for unescaped XML). */
function checkEntities(chunk: string): void {
  for (let i = chunk.indexOf("&"); i >= 0; i = chunk.indexOf("&", i + 1)) {
    const m = /^&(#x[0-9a-fA-F]+|#\d+|[A-Za-z_][\w.-]*)?(;)?/.exec(chunk.slice(i));
    if (!m?.[1])
      throw new XmlParseError("The entity name must immediately follow the '&' in the entity reference.");
    if (!m[2]) throw new XmlParseError(`The entity reference "${m[1]}" must end with the ';' delimiter.`);
    if (!m[1].startsWith("#") && !(m[1] in ENTITIES))
      throw new XmlParseError(`The entity "${m[1]}" was referenced, but not declared.`);
  }
}

/** Parses a document and returns its root element. Throws XmlParseError when malformed. */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf("<", i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    checkEntities(chunk);
    if (chunk && stack.length) stack[stack.length - 1]!.text += decodeEntities(chunk);
    else if (chunk.trim() && !stack.length) throw new XmlParseError("Content is not allowed in prolog.");
    if (lt < 0) break;
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt);
      if (end < 0) throw new XmlParseError("Unterminated comment");
      i = end + 3;
      continue;
    }
    if (text.startsWith("<![CDATA[", lt)) {
      const end = text.indexOf("]]>", lt);
      if (end < 0) throw new XmlParseError("Unterminated CDATA");
      if (stack.length) stack[stack.length - 1]!.text += text.slice(lt + 9, end);
      i = end + 3;
      continue;
    }
    if (text[lt + 1] === "?" || text[lt + 1] === "!") {
      const end = text.indexOf(">", lt);
      if (end < 0) throw new XmlParseError("Unterminated declaration");
      i = end + 1;
      continue;
    }
    const gt = findTagEnd(text, lt);
    if (gt < 0) throw new XmlParseError("XML document structures must start and end within the same entity.");
    const raw = text.slice(lt + 1, gt);
    i = gt + 1;
    if (raw[0] === "/") {
      const qname = raw.slice(1).trim();
      const open = stack.pop();
      if (!open || open.qname !== qname) {
        throw new XmlParseError(
          `The element type "${open?.qname ?? qname}" must be terminated by the matching end-tag.`,
        );
      }
      if (!stack.length) root = open;
      continue;
    }
    const selfClosing = raw.endsWith("/");
    const body = selfClosing ? raw.slice(0, -1) : raw;
    const m = /^\s*([^\s/>]+)/.exec(body);
    if (!m) throw new XmlParseError("Malformed tag");
    const qname = m[1]!;
    const attrs: Record<string, string> = {};
    const attrRe = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
    const rest = body.slice(m[0].length);
    for (let a = attrRe.exec(rest); a; a = attrRe.exec(rest))
      attrs[a[1]!] = decodeEntities(a[3] ?? a[4] ?? "");
    const el: XmlElement = {
      name: qname.includes(":") ? qname.slice(qname.indexOf(":") + 1) : qname,
      qname,
      attrs,
      children: [],
      text: "",
    };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else if (root)
      throw new XmlParseError("The markup in the document following the root element must be well-formed.");
    if (selfClosing) {
      if (!stack.length) root = el;
    } else stack.push(el);
  }
  if (stack.length || !root) throw new XmlParseError("Premature end of file.");
  return root;
}

function findTagEnd(text: string, from: number): number {
  let quote = "";
  for (let j = from + 1; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return j;
  }
  return -1;
}

/** First child with the given local name (case-sensitive), depth-first when `deep`. */
export function child(el: XmlElement | undefined, name: string, deep = false): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.name === name) return c;
  if (deep) {
    for (const c of el.children) {
      const found = child(c, name, true);
      if (found) return found;
    }
  }
  return undefined;
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = child(el, name);
  return c ? c.text.trim() : undefined;
}

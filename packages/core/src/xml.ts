/**
 * Minimal XML helpers for the SOAP and Bulk 1.0 bodies Salesforce sends. They are
 * small, flat documents, so a tolerant element reader is enough and keeps core free of
 * an XML dependency.
 */

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Escapes text for an XML element or attribute value. */
export function escapeXml(value: string | number | boolean): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#13;"); // a raw CR would reach the server as LF (XML line-end normalization)
}

export function unescapeXml(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    if (entity[0] === "#") {
      const code =
        entity[1] === "x" || entity[1] === "X"
          ? Number.parseInt(entity.slice(2), 16)
          : Number(entity.slice(1));
      return String.fromCodePoint(code);
    }
    return ENTITIES[entity.toLowerCase()] ?? `&${entity};`;
  });
}

/** A parsed element: text for leaves, children grouped by local name otherwise. */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

/**
 * Parses an XML document into plain objects keyed by local names (namespace prefixes
 * dropped). Repeated elements become arrays; `xsi:nil="true"` becomes "" with the name
 * kept. Attributes are ignored, CDATA is kept as text.
 */
export function parseXml(xml: string): Record<string, XmlNode | XmlNode[]> {
  const root: Record<string, XmlNode | XmlNode[]> = {};
  const stack: Array<{
    name: string;
    children: Record<string, XmlNode | XmlNode[]>;
    text: string;
    hasChildren: boolean;
  }> = [{ name: "#document", children: root, text: "", hasChildren: false }];
  const tag =
    /<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g;
  let last = 0;
  for (let match = tag.exec(xml); match; match = tag.exec(xml)) {
    const top = stack[stack.length - 1]!;
    if (match.index > last) top.text += unescapeXml(xml.slice(last, match.index));
    last = tag.lastIndex;
    if (match[1] !== undefined) {
      top.text += match[1];
      continue;
    }
    const name = match[3];
    if (!name) continue;
    const local = name.includes(":") ? name.slice(name.indexOf(":") + 1) : name;
    if (match[2] === "/") {
      const node = stack.pop();
      if (!node || stack.length === 0) break;
      const value: XmlNode = node.hasChildren ? node.children : node.text;
      add(stack[stack.length - 1]!, node.name, value);
      continue;
    }
    if (match[5] === "/") {
      add(top, local, "");
      continue;
    }
    stack.push({ name: local, children: {}, text: "", hasChildren: false });
  }
  return root;
}

function add(
  parent: { children: Record<string, XmlNode | XmlNode[]>; hasChildren: boolean },
  name: string,
  value: XmlNode,
): void {
  parent.hasChildren = true;
  const existing = parent.children[name];
  if (existing === undefined) parent.children[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else parent.children[name] = [existing, value];
}

/** The text of the first element with this local name anywhere in the document. */
export function xmlText(xml: string, localName: string): string | undefined {
  const match = new RegExp(
    `<(?:[\\w.-]+:)?${localName}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${localName}>`,
  ).exec(xml);
  return match?.[1] === undefined
    ? undefined
    : unescapeXml(match[1].replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1"));
}

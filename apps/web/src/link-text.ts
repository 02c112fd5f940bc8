/** A piece of a message as shown: plain text, or a link (only http and https). */
export type TextPart = { readonly text: string } | { readonly url: string };

const SCHEMES = ["https://", "http://"] as const;

function isSpace(c: string): boolean {
  return c === " " || c === "\n" || c === "\t" || c === "\r";
}

/**
 * Splits a message into text and links. Nothing of a message is ever markup: the parts are shown
 * as text nodes, and a link only gets an `<a>` with its own text as the label.
 */
export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plain = 0;
  let i = 0;
  while (i < text.length) {
    const scheme = SCHEMES.find((s) => text.startsWith(s, i) && (i === 0 || isSpace(text[i - 1] as string)));
    if (scheme === undefined) {
      i++;
      continue;
    }
    let end = i + scheme.length;
    while (end < text.length && !isSpace(text[end] as string)) end++;
    // Punctuation that ends a sentence is not part of the link.
    while (end > i + scheme.length && ".,;:!?)".includes(text[end - 1] as string)) end--;
    if (end === i + scheme.length) {
      i = end;
      continue;
    }
    if (plain < i) parts.push({ text: text.slice(plain, i) });
    parts.push({ url: text.slice(i, end) });
    plain = i = end;
  }
  if (plain < text.length) parts.push({ text: text.slice(plain) });
  return parts;
}

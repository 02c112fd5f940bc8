import { linkParts } from "./link-text.ts";

/** A message's text: text nodes, and links with their own text as label; never markup. */
export function MessageText({ text }: { readonly text: string }) {
  return (
    <>
      {linkParts(text).map((part, i) =>
        "url" in part ? (
          <a key={i} href={part.url} target="_blank" rel="noopener noreferrer">
            {part.url}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

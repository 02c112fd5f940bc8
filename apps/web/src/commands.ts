/** What a line typed in the message box asks for (the CLI's commands, docs/protocol.md for the ops). */
export type TypedCommand =
  | { readonly kind: "say"; readonly text: string }
  | { readonly kind: "me"; readonly text: string }
  | { readonly kind: "join"; readonly group: string }
  | { readonly kind: "leave"; readonly group: string | undefined }
  | { readonly kind: "msg"; readonly to: string; readonly text: string | undefined }
  | { readonly kind: "who"; readonly group: string | undefined }
  | { readonly kind: "logout" }
  | { readonly kind: "unknown"; readonly word: string };

function splitFirst(text: string): [string, string] {
  const trimmed = text.trim();
  const space = trimmed.indexOf(" ");
  return space === -1 ? [trimmed, ""] : [trimmed.slice(0, space), trimmed.slice(space + 1).trim()];
}

/** `/join g`, `/msg user text`, `/me waves`, `/who`, `/leave`, `/logout`; anything else is said as typed. */
export function parseTyped(line: string): TypedCommand | undefined {
  if (line.trim() === "") return undefined;
  // `//text` says "/text": a way to start a line with a slash.
  if (!line.startsWith("/") || line.startsWith("//")) return { kind: "say", text: line.startsWith("//") ? line.slice(1) : line };
  const [word, rest] = splitFirst(line.slice(1));
  switch (word.toLowerCase()) {
    case "join":
    case "j":
      return rest === ""
        ? { kind: "unknown", word: "/join needs a group" }
        : { kind: "join", group: splitFirst(rest)[0].replace(/^#/, "") };
    case "leave":
    case "part":
      return { kind: "leave", group: rest === "" ? undefined : splitFirst(rest)[0].replace(/^#/, "") };
    case "msg":
    case "query": {
      const [to, text] = splitFirst(rest);
      return to === "" ? { kind: "unknown", word: "/msg needs a user" } : { kind: "msg", to, text: text === "" ? undefined : text };
    }
    case "me":
      return rest === "" ? undefined : { kind: "me", text: rest };
    case "who":
      return { kind: "who", group: rest === "" ? undefined : splitFirst(rest)[0].replace(/^#/, "") };
    case "logout":
    case "quit":
      return { kind: "logout" };
    default:
      return { kind: "unknown", word: `/${word}` };
  }
}

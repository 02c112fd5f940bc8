/**
 * Group-chat mode of the classic protocol (docs/protocol.md, "Classic group mode"): after
 * `group`, the server pushes plain-text lines and the client's writes are chat text.
 */
export type GroupEvent =
  | { readonly kind: "joined"; readonly member: string }
  | { readonly kind: "left"; readonly member: string }
  | { readonly kind: "quit"; readonly member: string }
  | { readonly kind: "message"; readonly member: string; readonly text: string };

/** What a client sends to leave group mode; the server answers {@link GROUP_EXIT_MARKER} alone. */
export const GROUP_EXIT_COMMAND = "exit";
export const GROUP_EXIT_MARKER = "exit";

/** One pushed line, `\n` included (the seed's server sent none, so its lines ran together). */
export function encodeGroupEvent(event: GroupEvent): string {
  switch (event.kind) {
    case "joined":
      return event.member + " joined\n";
    case "left":
      return event.member + " left\n";
    case "quit":
      return event.member + " quit\n";
    case "message":
      return event.member + ": " + event.text + "\n";
  }
}

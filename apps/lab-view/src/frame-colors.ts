import type { TapCategory } from "@realmchat/protocol/tap";

/** One colour per kind of frame, in the drawing, the diagram and the table's legend. */
export const CATEGORY_COLORS: Readonly<Record<TapCategory, string>> = {
  login: "#7b4fd6",
  private: "#1f6fc0",
  group: "#24914a",
  inbox: "#8c5a3c",
  reply: "#138a9a",
  ack: "#d9730d",
  presence: "#8a8a1c",
  heartbeat: "#9a9a9a",
  error: "#c62828",
  other: "#555555",
};

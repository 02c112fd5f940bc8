import { describe, expect, it } from "vitest";
import { parseTyped } from "./commands.ts";

describe("parseTyped", () => {
  it("reads the CLI's commands, and says anything else as typed", () => {
    expect(parseTyped("/join #batak")).toEqual({ kind: "join", group: "batak" });
    expect(parseTyped("/msg james@realm2 halo, apa kabar?")).toEqual({ kind: "msg", to: "james@realm2", text: "halo, apa kabar?" });
    expect(parseTyped("/msg james")).toEqual({ kind: "msg", to: "james", text: undefined });
    expect(parseTyped("/me waves")).toEqual({ kind: "me", text: "waves" });
    expect(parseTyped("/who")).toEqual({ kind: "who", group: undefined });
    expect(parseTyped("/leave")).toEqual({ kind: "leave", group: undefined });
    expect(parseTyped("/LOGOUT")).toEqual({ kind: "logout" });
    expect(parseTyped("  halo  gaes ")).toEqual({ kind: "say", text: "  halo  gaes " });
    expect(parseTyped("//not a command")).toEqual({ kind: "say", text: "/not a command" });
    expect(parseTyped("/dance")).toEqual({ kind: "unknown", word: "/dance" });
    expect(parseTyped("   ")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { ChatCompletion } from "./chat-completion.ts";

describe("ChatCompletion", () => {
  it("completes commands after a slash, and seen names (users with their realm, groups) elsewhere", () => {
    const c = new ChatCompletion(["join", "who", "win"]);
    for (const name of ["henderson", "james@realm2", "batak", "jazz@realm2"]) c.saw(name);
    expect(c.complete("/w")).toEqual([["/who", "/win"], "/w"]);
    expect(c.complete("/msg ja")).toEqual([["james@realm2", "jazz@realm2"], "ja"]);
    expect(c.complete("halo hend")).toEqual([["henderson"], "hend"]);
    expect(c.complete("/join #ba")).toEqual([["#batak"], "#ba"]);
    expect(c.complete("/who x")).toEqual([[], "x"]);
  });
});

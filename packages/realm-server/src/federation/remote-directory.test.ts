import { describe, expect, it } from "vitest";
import { RemoteDirectory } from "./remote-directory.ts";

describe("RemoteDirectory", () => {
  const dir = new RemoteDirectory();
  dir.set(
    "realm2",
    [
      { user: "james", name: "James Maranata" },
      { user: "sam", name: "Sam Two" },
    ],
    [{ name: "batak", created: 20 }],
  );
  dir.set(
    "realm3",
    [{ user: "sam", name: "Sam Three" }],
    [
      { name: "batak", created: 10 },
      { name: "jazz", created: 30 },
    ],
  );

  it("prefers a local user for a bare name, then the one peer that has it", () => {
    expect(dir.resolveUser("james", undefined, true, "realm1")).toEqual({ kind: "local", user: "james" });
    expect(dir.resolveUser("james", undefined, false, "realm1")).toEqual({
      kind: "remote",
      realm: "realm2",
      user: "james",
      name: "James Maranata",
    });
  });

  it("reports a bare name found on two peers as ambiguous, with qualified names", () => {
    expect(dir.resolveUser("sam", undefined, false, "realm1")).toEqual({ kind: "ambiguous", candidates: ["sam@realm2", "sam@realm3"] });
  });

  it("resolves qualified names exactly", () => {
    expect(dir.resolveUser("sam", "realm3", false, "realm1")).toMatchObject({ kind: "remote", realm: "realm3", name: "Sam Three" });
    expect(dir.resolveUser("james", "realm3", false, "realm1")).toEqual({ kind: "none" });
    expect(dir.resolveUser("x", "realm9", false, "realm1")).toEqual({ kind: "unknown-realm", realm: "realm9" });
    expect(dir.resolveUser("messi", "realm1", true, "realm1")).toEqual({ kind: "local", user: "messi" });
    expect(dir.resolveUser("nobody", undefined, false, "realm1")).toEqual({ kind: "none" });
  });

  it("lists every realm's claim to a group name, with its creation time", () => {
    expect(dir.claims("batak")).toEqual([
      { home: "realm2", created: 20 },
      { home: "realm3", created: 10 },
    ]);
    expect(dir.claims("jazz")).toEqual([{ home: "realm3", created: 30 }]);
    expect(dir.claims("none")).toEqual([]);
    expect(dir.claim("batak", "realm3")).toEqual({ home: "realm3", created: 10 });
    expect(dir.claim("jazz", "realm2")).toBeUndefined();
    expect(dir.groupsOf("realm3")).toEqual(["batak", "jazz"]);
  });
});

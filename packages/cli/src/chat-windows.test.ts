import { describe, expect, it } from "vitest";
import { ChatWindows } from "./chat-windows.ts";

describe("ChatWindows", () => {
  it("counts unread lines per window, marks mentions, and clears them when a window is shown", () => {
    const w = new ChatWindows();
    w.open("#batak");
    w.showKey("#batak");
    expect(w.add("#batak", "shown at once")).toBe(true);
    expect(w.add("@james", "psst")).toBe(false);
    w.add("@james", "again");
    w.add("#jazz", "hey messi", true);
    expect(w.statusLine()).toBe("[2:#batak] act: 3:@james(2) 4:#jazz(1!)");
    expect(w.show(3)).toBe(true);
    expect(w.current.lines).toEqual(["psst", "again"]);
    expect(w.statusLine()).toBe("[3:@james] act: 4:#jazz(1!)");
    expect(w.show(9)).toBe(false);
  });

  it("switches to the next and previous window around the ends; closing keeps a sensible window shown", () => {
    const w = new ChatWindows();
    w.open("#a");
    w.open("#b");
    w.next();
    expect(w.current.key).toBe("#a");
    w.previous();
    w.previous();
    expect(w.current.key).toBe("#b");
    w.close("#b");
    expect(w.current.key).toBe("#a");
    w.close("status");
    expect(w.numberOf("status")).toBe(1);
    w.rename("#a", "#a@realm1");
    expect(w.current.key).toBe("#a@realm1");
  });

  it("counts as unread only lines after the window's read marker; a marker from elsewhere clears what it covers", () => {
    const w = new ChatWindows();
    const read: Array<[string, number]> = [];
    w.onRead = (key, ts) => read.push([key, ts]);
    w.markRead("#batak", 20);
    for (const ts of [10, 20, 30, 40]) w.add("#batak", `line ${ts}`, false, ts);
    expect(w.get("#batak")?.unread).toBe(2);
    w.markRead("#batak", 30);
    expect(w.list()).toBe("1:status 2:#batak(1)");
    w.markRead("#batak", 25);
    expect(w.markerOf("#batak")).toBe(30);
    expect(read).toEqual([]);
    w.showKey("#batak");
    expect(read).toEqual([["#batak", 40]]);
    w.add("#batak", "seen as it comes", false, 50);
    expect(read).toEqual([
      ["#batak", 40],
      ["#batak", 50],
    ]);
    expect(w.list()).toBe("1:status 2:#batak");
  });

  it("keeps at most the last N lines of a window", () => {
    const w = new ChatWindows(3);
    for (const line of ["1", "2", "3", "4"]) w.add("status", line);
    expect(w.current.lines).toEqual(["2", "3", "4"]);
  });
});

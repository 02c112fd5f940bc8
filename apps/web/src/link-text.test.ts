import { describe, expect, it } from "vitest";
import { linkParts } from "./link-text.ts";

describe("linkParts", () => {
  it("finds http and https links between words, without the sentence's punctuation", () => {
    expect(linkParts("see https://example.org/a?b=1, and http://x.y.")).toEqual([
      { text: "see " },
      { url: "https://example.org/a?b=1" },
      { text: ", and " },
      { url: "http://x.y" },
      { text: "." },
    ]);
  });

  it("leaves everything else as text: markup, other schemes, a scheme inside a word", () => {
    expect(linkParts('<img src=x onerror="alert(1)">')).toEqual([{ text: '<img src=x onerror="alert(1)">' }]);
    expect(linkParts("javascript:alert(1) xhttps://a.b https://")).toEqual([{ text: "javascript:alert(1) xhttps://a.b https://" }]);
  });
});

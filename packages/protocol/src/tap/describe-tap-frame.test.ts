import { describe, expect, it } from "vitest";
import { describeTapFrame } from "./describe-tap-frame.ts";

const ID = "6f1c2a9e-6f4b-4d0a-9a4e-0b8f6a1d2c3e";

describe("describeTapFrame", () => {
  it("names classic requests, replies and group-mode lines", () => {
    expect(describeTapFrame("classic", "auth messi •••")).toMatchObject({ kind: "auth", category: "login", summary: "auth messi" });
    expect(describeTapFrame("classic", "send ••• james@realm2 halo apa kabar")).toMatchObject({
      kind: "send",
      category: "private",
      summary: "send → james@realm2: halo apa kabar",
      ids: [],
    });
    expect(describeTapFrame("classic", `{"status": "OK", "message": "Message Sent", "id": "${ID}"}`)).toMatchObject({
      kind: "OK",
      category: "reply",
      summary: "OK: Message Sent",
      ids: [ID],
    });
    expect(describeTapFrame("classic", '{"status": "ERROR", "message": "Wrong password"}')).toMatchObject({ category: "error" });
    expect(describeTapFrame("classic", "james@realm2: halo gaes")).toMatchObject({ kind: "line", category: "group" });
  });

  it("names live requests, replies and events, and federation frames, with the ids they carry", () => {
    expect(describeTapFrame("live", '{"id":3,"op":"send","to":"james@realm2","text":"halo"}')).toMatchObject({
      kind: "send",
      summary: "send → james@realm2 halo",
    });
    expect(describeTapFrame("websocket", `{"re":3,"ok":true,"msgId":"${ID}","queued":true}`)).toMatchObject({
      kind: "reply",
      summary: "reply to 3 (queued)",
      ids: [ID],
    });
    expect(describeTapFrame("live", '{"re":4,"ok":false,"code":"NO_SUCH_USER","message":"no user x"}')).toMatchObject({
      category: "error",
    });
    expect(describeTapFrame("live", `{"ev":"message","msgId":"${ID}","from":"messi@realm1","text":"halo"}`)).toMatchObject({
      kind: "message",
      summary: "message messi@realm1: halo",
    });
    const batch = `{"t":"batch","origin":"realm1","to":"realm2","items":[{"id":"${ID}","user":"james","text":"x"},{"id":"${ID}"}]}`;
    expect(describeTapFrame("federation", batch)).toEqual({
      kind: "batch",
      category: "private",
      summary: "batch realm1→realm2, 2 message(s)",
      ids: [ID],
    });
    expect(describeTapFrame("federation", `{"t":"acks","origin":"realm1","results":[{"id":"${ID}","status":"stored"}]}`)).toMatchObject({
      summary: "acks for realm1: 1 stored",
      category: "ack",
    });
    expect(describeTapFrame("federation", '{"t":"ping","ts":1}')).toMatchObject({ category: "heartbeat" });
    expect(describeTapFrame("federation", '{"t":"peer","realm":"realm2","up":false}')).toMatchObject({
      category: "presence",
      summary: "peer realm2 down",
    });
    expect(describeTapFrame("federation", "{not json")).toMatchObject({ kind: "unreadable", category: "error" });
  });
});

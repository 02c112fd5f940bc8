import { describe, expect, it } from "vitest";
import { maskSecrets, WITHHELD } from "./mask-secrets.ts";
import { MASK } from "./tap-event.ts";

describe("maskSecrets", () => {
  it("masks the password of a classic auth and the token of every other classic command, spacing kept", () => {
    expect(maskSecrets("classic", "auth messi surabaya", "in")).toBe(`auth messi ${MASK}`);
    expect(maskSecrets("classic", "  AUTH\tmessi   surabaya ", "in")).toBe(`  AUTH\tmessi   ${MASK} `);
    const token = "6f1c2a9e-6f4b-4d0a-9a4e-0b8f6a1d2c3e";
    expect(maskSecrets("classic", `send ${token} james@realm2  halo apa kabar `, "in")).toBe(`send ${MASK} james@realm2  halo apa kabar `);
    expect(maskSecrets("classic", `inbox ${token}`, "in")).toBe(`inbox ${MASK}`);
    expect(maskSecrets("classic", `group ${token} batak realm1`, "in")).toBe(`group ${MASK} batak realm1`);
    expect(maskSecrets("classic", `logout ${token}`, "in")).toBe(`logout ${MASK}`);
    expect(maskSecrets("classic", "auth messi", "in")).toBe("auth messi");
    // Group mode: chat text and the realm's group lines pass unchanged.
    expect(maskSecrets("classic", "messi@realm1: halo semua", "in")).toBe("messi@realm1: halo semua");
  });

  it("masks the token of a classic reply and every secret field of a JSON frame, at any depth and in any case", () => {
    expect(maskSecrets("classic", '{"status": "OK", "tokenid": "abc"}', "out")).toBe(`{"status":"OK","tokenid":"${MASK}"}`);
    expect(maskSecrets("live", '{"id":1,"op":"auth","user":"messi","password":"surabaya"}', "in")).toBe(
      `{"id":1,"op":"auth","user":"messi","password":"${MASK}"}`,
    );
    expect(maskSecrets("websocket", '{"re":1,"ok":true,"token":"t0k3n","user":"messi"}', "out")).toBe(
      `{"re":1,"ok":true,"token":"${MASK}","user":"messi"}`,
    );
    expect(maskSecrets("federation", '{"t":"prove","proof":"ab12"}', "in")).toBe(`{"t":"prove","proof":"${MASK}"}`);
    expect(maskSecrets("federation", '{"t":"hello","v":3,"realm":"realm1","nonce":"n1"}', "out")).toBe(
      `{"t":"hello","v":3,"realm":"realm1","nonce":"${MASK}"}`,
    );
    const nested = '{"id":2,"op":"x","nested":[{"Secret":"s"}]}';
    expect(maskSecrets("live", nested, "in")).toBe(`{"id":2,"op":"x","nested":[{"Secret":"${MASK}"}]}`);
  });

  it("masks each frame of a record of several, line ends kept", () => {
    const record = '{"re":1,"ok":true}\n{"re":2,"ok":true,"token":"t0k3n"}\r\n{"ev":"message","text":"halo"}\n';
    expect(maskSecrets("live", record, "out")).toBe(
      `{"re":1,"ok":true}\n{"re":2,"ok":true,"token":"${MASK}"}\r\n{"ev":"message","text":"halo"}\n`,
    );
    expect(maskSecrets("classic", "auth messi surabaya\r\ninbox 6f1c\r\n", "in")).toBe(`auth messi ${MASK}\r\ninbox ${MASK}\r\n`);
    expect(maskSecrets("classic", '{"status": "OK", "tokenid": "abc"}\r\n\r\n', "out")).toBe(`{"status":"OK","tokenid":"${MASK}"}\r\n\r\n`);
  });

  it("searches what a server wrote for the keys its encoders write, and what a client wrote for any spelling", () => {
    // A server's chat line that mentions a password is not a secret field: passed on unparsed.
    const line = '{"ev":"message","text":"my password is on the fridge"}';
    expect(maskSecrets("live", line, "out")).toBe(line);
    expect(maskSecrets("federation", `{"t":"batch","items":[{"text":"token of love"}]}`, "out")).toContain("token of love");
    // A client's frame is searched in any case.
    expect(maskSecrets("live", '{"id":1,"op":"auth","user":"messi","PassWord":"surabaya"}', "in")).not.toContain("surabaya");
  });

  it("passes a frame that mentions no secret unparsed, and withholds one that mentions a secret and is not JSON", () => {
    const frame = '{"id":3, "op":"send",  "to":"james","text":"halo"}';
    expect(maskSecrets("live", frame, "in")).toBe(frame);
    expect(maskSecrets("live", '{"op":"auth","password":"surabaya"', "in")).toBe(WITHHELD);
    expect(maskSecrets("websocket", "not json, password surabaya", "in")).toBe(WITHHELD);
  });
});

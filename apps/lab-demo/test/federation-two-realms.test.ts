import { afterEach, describe, expect, it } from "vitest";
import { collectInbox, eventually, lines, rawExchange, startFederation, type FederationFixture } from "./federation-fixtures.ts";

let fed: FederationFixture | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
});

describe("two realms, each with its bridge, as separate processes", () => {
  it("private chat across realms both ways; inbox entries name the sender's realm", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    const james = await t.connect("realm2", "james", "medan");
    const sent = await eventually(() => messi.send("james", "Halo, apa kabar, James?"));
    expect(sent).toMatchObject({ queued: false, message: "Message Sent" });
    await james.send("messi@realm1", "baik!");
    await james.send("messi", "bare name works too");
    const jamesInbox = await collectInbox(james, 1);
    expect(jamesInbox.map((e) => [e.from, e.fromName, e.toName, e.text])).toEqual([
      ["messi@realm1", "Lionel Messi", "James Maranata", "Halo, apa kabar, James?"],
    ]);
    expect(jamesInbox[0]?.id).toBe(sent.id);
    const messiInbox = await collectInbox(messi, 2);
    expect(messiInbox.map((e) => `${e.from}: ${e.text}`)).toEqual(["james@realm2: baik!", "james@realm2: bare name works too"]);
  }, 60_000);

  it("a user that exists nowhere, or an unknown realm, is an ERROR", async () => {
    fed = await startFederation();
    const messi = await fed.topology.connect("realm1", "messi", "surabaya");
    await eventually(() => messi.send("james", "directory is there"));
    await expect(messi.send("ghost", "hi")).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    await expect(messi.send("ghost@realm2", "hi")).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    await expect(messi.send("james@realm9", "hi")).rejects.toMatchObject({
      code: "USER_NOT_FOUND",
      message: expect.stringContaining("unknown realm"),
    });
  }, 60_000);

  it("group chat across realms: joins, messages and leaves reach everyone; exit works for remote members", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    const henderson = await t.connect("realm1", "henderson", "surabaya");
    const james = await t.connect("realm2", "james", "medan");
    const taeno = await t.connect("realm2", "taeno", "tokyo");
    const [m, h, j, k] = [lines(), lines(), lines(), lines()];
    await messi.joinGroup("batak", m.push);
    // The new group reaches realm2's directory asynchronously; until then `batak@realm1` is unknown there.
    await eventually(() => james.joinGroup("batak@realm1", j.push));
    await m.has("james@realm2 joined");
    await henderson.joinGroup("batak", h.push);
    await taeno.joinGroup("batak", k.push);
    await j.has("henderson@realm1 joined");
    await j.has("taeno joined");
    james.say("halo gaes");
    for (const l of [m, h]) await l.has("james@realm2: halo gaes");
    for (const l of [j, k]) await l.has("james: halo gaes");
    messi.say("halo james, selamat datang!!!");
    for (const l of [j, k]) await l.has("messi@realm1: halo james, selamat datang!!!");
    expect(await james.leaveGroup()).toBe("Left group batak");
    for (const l of [m, h]) await l.has("james@realm2 left");
    await k.has("james left");
    // james is back in command mode on his own realm.
    await expect(james.inbox()).resolves.toEqual([]);
    taeno.say("still here");
    await m.has("taeno@realm2: still here");
    expect(j.seen).not.toContain("taeno: still here");
  }, 60_000);

  it("the seed's inter-server lines on a client port are unknown commands and carry nothing across", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const james = await t.connect("realm2", "james", "medan");
    const realm1 = t.realm("realm1");
    const replies = await rawExchange(realm1.port, [
      "server send messi james forged hello",
      "check group james batak other",
      "server send messi james@realm2 forged again",
    ]);
    expect(replies.map((r) => [r.status, r.code])).toEqual([
      ["ERROR", "UNKNOWN_COMMAND"],
      ["ERROR", "UNKNOWN_COMMAND"],
      ["ERROR", "UNKNOWN_COMMAND"],
    ]);
    const messi = await t.connect("realm1", "messi", "surabaya");
    await eventually(() => messi.send("james", "the only real message"));
    const inbox = await collectInbox(james, 1);
    expect(inbox.map((e) => e.text)).toEqual(["the only real message"]);
  }, 60_000);
});

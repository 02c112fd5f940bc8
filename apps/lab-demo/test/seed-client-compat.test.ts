import { afterEach, describe, expect, it } from "vitest";
import { eventually, startFederation, type FederationFixture } from "./federation-fixtures.ts";
import { SeedStyleClient } from "./seed-style-client.ts";

let fed: FederationFixture | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
});

describe("the seed's client byte patterns across realms", () => {
  it("private chat, inbox and group chat across realms work as the seed's client does them", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const messi = await SeedStyleClient.connect(t.realm("realm1").port);
    const james = await SeedStyleClient.connect(t.realm("realm2").port);
    await messi.login("messi", "surabaya");
    await james.login("james", "medan");

    await eventually(async () => expect(await messi.sendmessage("james", "Halo, apa kabar, James? é 👋")).toMatchObject({ status: "OK" }));
    const inbox = await james.sendstring(`inbox ${james.token} \r\n`);
    expect(inbox).toMatchObject({
      status: "OK",
      messages: { "messi@realm1": [{ msg_from: "Lionel Messi", msg_to: "James Maranata", msg: "Halo, apa kabar, James? é 👋" }] },
    });

    messi.groupChat("batak");
    await messi.sees("messi joined\n");
    // Wait until realm2's directory lists realm1's new group, so that the bare name resolves there.
    const probe = await t.connect("realm2", "taeno", "tokyo");
    await eventually(() => probe.joinGroup("batak@realm1", () => undefined));
    await probe.leaveGroup();

    james.groupChat("batak");
    await james.sees("james joined\n");
    await messi.sees("james@realm2 joined\n");
    james.type("halo gaes");
    await messi.sees("james@realm2: halo gaes\n");
    await james.sees("james: halo gaes\n");
    messi.type("halo james, selamat datang!!!");
    await james.sees("messi@realm1: halo james, selamat datang!!!\n");

    james.chunks.length = 0;
    james.type("exit");
    await eventually(() => expect(james.chunks.length).toBeGreaterThanOrEqual(2));
    expect(james.chunks[0]).toBe("exit");
    expect(JSON.parse((james.chunks[1] as string).trimEnd())).toMatchObject({ status: "OK", message: "Left group batak" });
    await messi.sees("james@realm2 left\n");
    messi.socket.destroy();
    james.socket.destroy();
  }, 60_000);
});

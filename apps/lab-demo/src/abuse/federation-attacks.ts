import { encodeFederationFrame } from "@realmchat/protocol";
import { RawConnection, sleep } from "./raw-connection.ts";
import type { Attack } from "./attack.ts";
import { HONEST_GROUP } from "./honest-traffic.ts";

export const federationJunk: Attack = {
  name: "junk and fake handshakes (federation and bridge ports)",
  async run({ topology }) {
    const targets = [
      { port: topology.realm("realm1").federationPort as number, claim: "realm1" },
      { port: topology.bridge("realm1").port, claim: "realm2" },
    ];
    const connections: RawConnection[] = [];
    for (const { port, claim } of targets) {
      for (let i = 0; i < 100; i++) {
        const c = await RawConnection.open(port, "127.0.0.20", true);
        connections.push(c);
        if (i % 3 === 0) c.write("GET / HTTP/1.1\r\n\r\n{not json at all\n");
        else if (i % 3 === 1) c.write(encodeFederationFrame({ t: "hello", v: 1, realm: claim, nonce: "n".repeat(32) }));
        else {
          c.write(encodeFederationFrame({ t: "hello", v: 2, realm: claim, nonce: "n".repeat(32) }));
          c.write(encodeFederationFrame({ t: "prove", proof: "a guess" }));
        }
      }
    }
    await sleep(1500);
    const leaked = connections.filter((c) => c.text.includes('"proof"')).length;
    const held = connections.filter((c) => !c.closed).length;
    for (const c of connections) c.close();
    const alive = topology.realm("realm1").process.running && topology.bridge("realm1").process.running;
    return {
      limited: leaked === 0 && held === 0 && alive,
      held,
      note: `${connections.length} tries, proofs given away: ${leaked}, servers up: ${alive}`,
    };
  },
};

export const slowRemoteMember: Attack = {
  name: "slow member on another realm (group flood)",
  async run({ realm1, realm2, password }) {
    const slow = await RawConnection.open(realm2.port, "127.0.0.21", true);
    slow.write(`{"id":1,"op":"auth","user":"slowpoke","password":"${password}"}\n{"id":2,"op":"join","group":"${HONEST_GROUP}"}\n`);
    await sleep(1000);
    slow.socket.pause();
    const flooder = await RawConnection.open(realm1.port, "127.0.0.22", true);
    flooder.write(`{"id":1,"op":"auth","user":"mallory4","password":"${password}"}\n{"id":2,"op":"join","group":"${HONEST_GROUP}"}\n`);
    await sleep(500);
    // Long lines at the group rate limit for 15 s: about 11 MB for a member that reads nothing.
    const text = "f".repeat(12_000);
    const deadline = Date.now() + 15_000;
    let id = 3;
    let served = 0;
    flooder.text = "";
    while (Date.now() < deadline) {
      if (flooder.socket.writableLength < 256 * 1024)
        for (let i = 0; i < 20; i++) flooder.write(`{"id":${id++},"op":"say","group":"${HONEST_GROUP}","text":"${text}"}\n`);
      served += flooder.text.split('"ok":true').length - 1;
      flooder.text = "";
      await sleep(50);
    }
    slow.text = "";
    slow.socket.resume();
    const reading = Date.now();
    while (Date.now() - reading < 15_000 && !slow.text.includes("not reading fast enough")) await sleep(100);
    const told = slow.text.includes("not reading fast enough");
    flooder.close();
    slow.close();
    // Held back either way: the flood slowed to the group rate, or the slow member let go.
    return {
      limited: told || served < id - 3,
      held: 0,
      note: `flooder wrote ${id - 3} lines of 12 KB, ${served} served (group rate); slow member let go with a notice: ${told}`,
    };
  },
};

export const peerRealmKilled: Attack = {
  name: "realm2's server killed for 8 s",
  async run({ topology }) {
    await topology.realm("realm2").process.kill();
    await sleep(8000);
    await topology.restartRealm("realm2");
    return { limited: true, held: 0, note: "honest cross-realm messages are answered 'queued' and arrive after the restart" };
  },
};

import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { BenchLiveClient } from "../src/bench/bench-live-client.ts";
import { measureClusterScaling } from "../src/bench/cluster-scaling.ts";
import { runComparison, type SystemFigures } from "../src/bench/comparison-run.ts";
import { ngircdInstalled } from "../src/bench/ngircd-pair.ts";

// The benchmark's counting, not its speed: every line reaches every receiver it should, once and
// in order, on ours and (where Debian's ngircd is installed) on the peer.
describe("pnpm bench's harness", () => {
  // One run for both systems; the peer's check says "skipped" where ngircd is not installed.
  let comparison: ReturnType<typeof runComparison> | undefined;
  const compared = (): ReturnType<typeof runComparison> =>
    (comparison ??= runComparison({
      scale: 0.01,
      sweep: [],
      only: ["private-across", "group", "private-local-paced"],
      say: () => undefined,
    }));
  const expectCounted = (system: SystemFigures): void => {
    expect(system.workloads.map((w) => w.workload)).toEqual(["private-across", "group", "private-local-paced"]);
    for (const w of system.workloads) {
      expect({ system: system.system, workload: w.workload, delivered: w.delivered, bad: w.duplicatedOrReordered }).toEqual({
        system: system.system,
        workload: w.workload,
        delivered: w.expected,
        bad: 0,
      });
      expect(w.perSecond).toBeGreaterThan(0);
    }
  };

  it("counts each private and group line at its receivers once, in order, on ours", async () => {
    const result = await compared();
    expectCounted(result.ours);
    // A group line reaches the 99 other members.
    expect(result.ours.workloads.find((w) => w.workload === "group")?.expected).toBe(10 * 10 * 99);
  }, 180_000);

  it.skipIf(!ngircdInstalled())(
    "counts each line the same way on a linked ngircd pair",
    async () => {
      const { peer } = await compared();
      expect(peer).toBeDefined();
      expectCounted(peer as SystemFigures);
    },
    180_000,
  );

  it("the scaling bench (--instances): SQLite and PostgreSQL rows side by side, each line counted, the database's share", async () => {
    const { rows, notifyLock } = await measureClusterScaling({
      instances: [1, 2],
      pairs: 2,
      messagesPerPair: 20,
      members: 4,
      senders: 2,
      messagesPerSender: 10,
      window: 5,
      notifyLockSeconds: 0.3,
    });
    expect(rows.map((r) => [r.store, r.instances, r.privateMessages.count, r.groupDeliveries.count])).toEqual([
      ["SQLite", 1, 40, 80],
      ["PostgreSQL", 1, 40, 80],
      ["PostgreSQL", 2, 40, 80],
    ]);
    const [sqlite, , two] = rows as [(typeof rows)[number], (typeof rows)[number], (typeof rows)[number]];
    expect(sqlite.privateMessages.databaseMicrosEach).toBe(0);
    // Between two instances a private message is stored in the shared inbox: PostgreSQL works and commits.
    expect(two.privateMessages.databaseMicrosEach).toBeGreaterThan(0);
    expect(two.privateMessages.commitsPerSecond).toBeGreaterThan(0);
    expect(two.privateMessages.cpuMicrosEach).toBeGreaterThan(two.privateMessages.databaseMicrosEach);
    expect(notifyLock.map((f) => f.clients)).toEqual([1, 2, 4]);
    for (const f of notifyLock) expect(Math.min(f.plainPerSecond, f.notifyingPerSecond)).toBeGreaterThan(0);
  }, 180_000);

  it("a posted send's refusal is reported, its acceptance and awaited replies are not mistaken for one", async () => {
    const server = createServer((socket) => {
      socket.setEncoding("utf8");
      let buffer = "";
      socket.on("data", (text: string) => {
        buffer += text;
        for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
          const request = JSON.parse(buffer.slice(0, nl)) as { id: number; op: string; to?: string };
          buffer = buffer.slice(nl + 1);
          if (request.op === "join") socket.write(`${JSON.stringify({ re: request.id, ok: true, history: [], members: [] })}\n`);
          else if (request.to === "nobody")
            socket.write(`${JSON.stringify({ re: request.id, ok: false, code: "USER_NOT_FOUND", message: "no" })}\n`);
          else socket.write(`${JSON.stringify({ re: request.id, ok: true, msgId: "m", queued: false })}\n`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = await BenchLiveClient.connect((server.address() as AddressInfo).port);
    const refused: string[] = [];
    client.onRefused = (reply) => refused.push(reply);
    try {
      client.post("send", "henderson", "one");
      client.post("send", "nobody", "two");
      client.post("send", "henderson", "three");
      expect(await client.request("join", { group: "g" })).toMatchObject({ ok: true });
      expect(refused.map((r) => JSON.parse(r) as { re: number; code: string })).toEqual([
        expect.objectContaining({ re: 2, code: "USER_NOT_FOUND" }),
      ]);
    } finally {
      client.close();
      server.close();
    }
  });
});

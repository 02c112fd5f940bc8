import { connect, createServer, type Server, type Socket } from "node:net";
import { decodeTapMessage, MASK, tapEventsOf, type TapEvent, type TapRecord } from "@realmchat/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { TapRecorder } from "./tap-recorder.ts";
import { listenTap, type TapServer } from "./tap-server.ts";
import { tapStream, type TapEnds } from "./tapped-stream.ts";

const CLIENT: TapEnds = { local: "realm1", remote: "client" };

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A TCP server on a free port whose accepted sockets are tapped and answer each line with `reply`. */
async function tappedServer(recorder: TapRecorder, reply: (line: string) => string, ends: TapEnds = CLIENT): Promise<number> {
  const server: Server = createServer((socket) => {
    tapStream(socket, recorder, ends);
    let buffer = "";
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
        socket.write(reply(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as { port: number }).port;
}

/** Sends each line byte by byte (the tap must put it back together) and waits for its one-object reply before the next. */
async function exchange(port: number, lines: string[]): Promise<void> {
  const socket: Socket = connect(port, "127.0.0.1");
  closers.push(() => socket.destroy());
  for (const line of lines) {
    await new Promise<void>((resolve) => {
      socket.once("data", () => resolve());
      for (const byte of Buffer.from(`${line}\n`)) socket.write(Buffer.of(byte));
    });
  }
}

const records = (messages: string[]): TapRecord[] =>
  messages.flatMap((text) => {
    const message = decodeTapMessage(text);
    if (!("records" in message)) throw new Error(`not a tap message: ${message.kind} at ${message.at}`);
    return message.records;
  });

/** A reader of the tap at `port`, whose messages land in `into`; open when this resolves. */
async function readTap(port: number, query: string, into: string[]): Promise<WebSocket> {
  const reader = new WebSocket(`ws://127.0.0.1:${port}/tap${query}`);
  closers.push(() => reader.terminate());
  reader.on("message", (data: Buffer) => into.push(data.toString()));
  await new Promise((resolve) => reader.once("open", resolve));
  return reader;
}

const events = (messages: string[]): TapEvent[] =>
  messages.flatMap((text) => {
    const message = decodeTapMessage(text);
    if (!("records" in message)) throw new Error(`not a tap message: ${message.kind} at ${message.at}`);
    return message.records.flatMap(tapEventsOf);
  });

/** Records as a process would: `link` is live, the connection's route made up of its name. */
const route = (conn: string, dir: "in" | "out"): Uint8Array => {
  const [from, to] = dir === "in" ? [conn, "realm1"] : ["realm1", conn];
  return Buffer.from(`"process":"realm1","link":"live","conn":"${conn}","from":"${from}","to":"${to}","dir":"${dir}"`);
};

describe("the tap recorder", () => {
  it("records a write that repeats the turn's last as a repeat, which readers see with its frames", async () => {
    const recorder = new TapRecorder({ process: "realm1" });
    const seen: string[] = [];
    recorder.subscribe({ take: (message) => seen.push(message.toString()) });
    const line = '{"ev":"group","group":"lab","member":"messi","text":"halo"}\n';
    for (const conn of ["c1", "c2", "c3"]) recorder.record("live", "out", route(conn, "out"), `${line}`.slice(0));
    recorder.record("live", "in", route("c1", "in"), line);
    await new Promise((r) => setImmediate(r));
    recorder.record("live", "out", route("c4", "out"), line);
    recorder.flush();
    expect(seen).toHaveLength(2);
    expect(seen[0]?.split(line)).toHaveLength(3);
    expect(seen[1]).toContain(line);
    expect(events(seen).map((e) => [e.seq, e.conn, e.dir, e.frame])).toEqual([
      [1, "c1", "out", line.trim()],
      [2, "c2", "out", line.trim()],
      [3, "c3", "out", line.trim()],
      [4, "c1", "in", line.trim()],
      [5, "c4", "out", line.trim()],
    ]);
  });

  it("keeps whole turns for a later subscriber, the oldest forgotten first", () => {
    const recorder = new TapRecorder({ process: "realm1", keep: 3 });
    for (let turn = 0; turn < 3; turn++) {
      recorder.record("live", "out", route("c1", "out"), `{"re":${turn}}\n`);
      recorder.record("live", "out", route("c2", "out"), `{"re":${turn}}\n`);
      recorder.flush();
    }
    const seen: string[] = [];
    recorder.subscribe({ take: (message) => seen.push(message.toString()) });
    expect(events(seen).map((e) => [e.seq, e.conn, e.frame])).toEqual([
      [5, "c1", '{"re":2}'],
      [6, "c2", '{"re":2}'],
    ]);
  });
});

describe("the tap", () => {
  it("records each frame both ways with its ends, the protocol told by the first byte, and no secret", async () => {
    const recorder = new TapRecorder({ process: "realm1" });
    const seen: string[] = [];
    recorder.subscribe({ take: (message) => seen.push(message.toString()) });
    const port = await tappedServer(recorder, (line) =>
      line.startsWith("auth") ? '{"status": "OK", "tokenid": "9b2f6d1e-secret-token"}\r\n\r\n' : '{"status": "OK"}\r\n\r\n',
    );
    await exchange(port, ["auth messi surabaya", "inbox 9b2f6d1e-secret-token"]);
    await new Promise((r) => setImmediate(r));
    const recorded = events(seen);
    expect(recorded.map((e) => [e.seq, e.link, e.conn, e.dir, e.from, e.to, e.frame])).toEqual([
      [1, "classic", "c1", "in", "client", "realm1", `auth messi ${MASK}`],
      [2, "classic", "c1", "out", "realm1", "client", `{"status":"OK","tokenid":"${MASK}"}`],
      [3, "classic", "c1", "in", "client", "realm1", `inbox ${MASK}`],
      [4, "classic", "c1", "out", "realm1", "client", '{"status": "OK"}'],
    ]);
    expect(seen.join("\n")).not.toMatch(/surabaya|secret-token/);
  });

  it("serves the events kept and then each turn's over a WebSocket on loopback, and refuses a page from another site", async () => {
    const recorder = new TapRecorder({ process: "realm1", keep: 2 });
    const port = await tappedServer(recorder, () => '{"re":1,"ok":true,"token":"t0k3n"}\n');
    await exchange(port, ['{"id":1,"op":"auth","user":"messi","password":"surabaya"}']);
    await new Promise((r) => setImmediate(r));
    const server: TapServer = await listenTap(recorder, 0);
    closers.push(() => server.close());
    const reader = new WebSocket(`ws://127.0.0.1:${server.port}/tap`);
    closers.push(() => reader.terminate());
    const messages: string[] = [];
    reader.on("message", (data: Buffer) => messages.push(data.toString()));
    await new Promise((resolve) => reader.once("open", resolve));
    await exchange(port, ['{"id":2,"op":"resume","token":"t0k3n"}']);
    for (let i = 0; i < 100 && events(messages).length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    const got = events(messages);
    expect(got.map((e) => [e.seq, e.link, e.dir])).toEqual([
      [1, "live", "in"],
      [2, "live", "out"],
      [3, "live", "in"],
      [4, "live", "out"],
    ]);
    expect(messages.join("\n")).not.toMatch(/surabaya|t0k3n/);
    const stranger = new WebSocket(`ws://127.0.0.1:${server.port}/tap`, { origin: "https://example.com" });
    stranger.on("error", () => undefined);
    closers.push(() => stranger.terminate());
    const refused = await new Promise<number>((resolve) =>
      stranger.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(refused).toBe(401);
  });

  it("records what a process whose tap every reader also reads sent as an arrival, without its frames", async () => {
    const recorder = new TapRecorder({ process: "realm1" });
    const fromBridge: TapEnds = { local: "realm1", remote: "bridge-realm1", link: "federation" };
    const port = await tappedServer(recorder, () => '{"t":"pong"}\n', fromBridge);
    const server: TapServer = await listenTap(recorder, 0);
    closers.push(() => server.close());
    const both: string[] = [];
    const lab = await readTap(server.port, "?with=bridge-realm1,realm2", both);
    await exchange(port, ['{"t":"ping","ts":1}']);
    for (let i = 0; i < 100 && records(both).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(records(both).map((r) => [r.seq, r.dir, r.arrived, r.frames])).toEqual([
      [1, "in", 20, ""],
      [2, "out", undefined, '{"t":"pong"}\n'],
    ]);
    // A reader that does not read the bridge's tap: what the bridge sends is recorded whole again, for both.
    const alone: string[] = [];
    await readTap(server.port, "", alone);
    await exchange(port, ['{"t":"ping","ts":2}']);
    for (let i = 0; i < 100 && records(alone).length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    expect(records(alone).map((r) => [r.seq, r.arrived, r.frames])).toEqual([
      [1, 20, ""],
      [2, undefined, '{"t":"pong"}\n'],
      [3, undefined, '{"t":"ping","ts":2}\n'],
      [4, undefined, '{"t":"pong"}\n'],
    ]);
    lab.terminate();
  });
});

import { RawConnection, sleep } from "./raw-connection.ts";
import type { Attack } from "./attack.ts";

/** Each attack comes from an address of its own in 127.0.0.0/8. */
const FROM = {
  flood: "127.0.0.10",
  pipelined: "127.0.0.11",
  inbox: "127.0.0.12",
  slowloris: "127.0.0.13",
  idle: "127.0.0.14",
  guess: "127.0.0.15",
} as const;

async function countReplies(connections: readonly RawConnection[]): Promise<number> {
  return connections.reduce((n, c) => n + c.replies, 0);
}

/**
 * How long the pipelining rows keep their pipelines full: long past the partial-line limit (30 s)
 * and the slow-reader limit (60 s), which must close a slowloris and a client that stops reading,
 * never a client that sends whole lines and reads its replies.
 */
const PIPELINE_SECONDS = 120;
/** What a pipelining client leaves unsent in its own socket before it writes more. */
const WRITE_AHEAD_BYTES = 64 * 1024;

export const flood: Attack = {
  name: `flood (4 connections, one user, ${PIPELINE_SECONDS} s)`,
  async run({ realm1, password }) {
    const connections = await Promise.all(Array.from({ length: 4 }, () => RawConnection.open(realm1.port, FROM.flood)));
    const tokens = await Promise.all(connections.map((c) => c.auth("mallory", password)));
    const deadline = Date.now() + PIPELINE_SECONDS * 1000;
    const before = await countReplies(connections);
    while (Date.now() < deadline) {
      // As fast as the server takes them: what it does not read waits in this process, bounded.
      connections.forEach((c, i) => {
        if (c.socket.writableLength < WRITE_AHEAD_BYTES) c.write(`send ${tokens[i]} sink flood\r\n`.repeat(500));
      });
      await sleep(20);
    }
    const rate = Math.round(((await countReplies(connections)) - before) / PIPELINE_SECONDS);
    const held = connections.filter((c) => !c.closed).length;
    for (const c of connections) c.close();
    return { limited: rate < 3000 && held === 4, held, note: `answered ${rate}/s (slowed, none refused), never cut off: ${held === 4}` };
  },
};

/** Requests a pipelining client keeps in flight (written, not yet answered). */
const IN_FLIGHT = 4000;

export const pipelinedFlood: Attack = {
  name: `pipelined sender (${IN_FLIGHT.toLocaleString("en")} in flight, ${PIPELINE_SECONDS} s)`,
  async run({ realm1, password }) {
    const c = await RawConnection.open(realm1.port, FROM.pipelined);
    const token = await c.auth("mallory2", password);
    const line = `send ${token} sink2 x\r\n`;
    const base = c.replies;
    let written = 0;
    let carry = "";
    const deadline = Date.now() + PIPELINE_SECONDS * 1000;
    while (Date.now() < deadline && !c.closed) {
      const more = IN_FLIGHT - (written - (c.replies - base));
      if (more > 0) {
        // Each write stops inside a line, so the server holds part of one at nearly every moment.
        const text = carry + line.repeat(more);
        written += more;
        c.write(text.slice(0, -5));
        carry = text.slice(-5);
      }
      await sleep(20);
    }
    c.write(carry);
    await c.untilReplies(base + written, 30_000);
    const held = c.closed ? 0 : 1;
    const replies = c.replies - base;
    c.close();
    return {
      limited: held === 1 && replies === written,
      held,
      note: `${written} sent, ${replies} answered in ${PIPELINE_SECONDS} s, never cut off: ${held === 1}`,
    };
  },
};

export const hugeInbox: Attack = {
  name: "huge inbox (flood one user's inbox)",
  async run({ realm1, password }) {
    const c = await RawConnection.open(realm1.port, FROM.inbox, true);
    const token = await c.auth("mallory3", password);
    const tries = 12_000;
    c.write(`send ${token} vic filling your inbox\r\n`.repeat(tries));
    await c.untilReplies(tries + 1, 60_000);
    const full = (c.text.match(/INBOX_FULL/g) ?? []).length;
    const stored = (c.text.match(/Message Sent/g) ?? []).length;
    c.close();
    const victim = await RawConnection.open(realm1.port, "127.0.0.1", true);
    const vt = await victim.auth("vic", password);
    let received = 0;
    let pages = 0;
    for (;;) {
      const before = victim.text.length;
      const replies = victim.replies;
      victim.write(`inbox ${vt}\r\n`);
      await victim.untilReplies(replies + 1, 30_000);
      const page = victim.text.slice(before);
      received += (page.match(/"msg_from"/g) ?? []).length;
      pages++;
      victim.text = "";
      if (!page.includes('"more": true')) break;
    }
    victim.close();
    return {
      limited: full > 0,
      held: 0,
      note: `${stored} stored, ${full} refused INBOX_FULL; read back ${received} in ${pages} pages, lost ${stored - received}`,
    };
  },
};

export const slowloris: Attack = {
  name: "slowloris (500 connections, a byte every 3 s)",
  async run({ realm1 }) {
    const connections = await Promise.all(Array.from({ length: 500 }, () => RawConnection.open(realm1.port, FROM.slowloris)));
    for (const c of connections) c.write("a");
    const started = Date.now();
    while (Date.now() - started < 36_000 && connections.some((c) => !c.closed)) {
      await sleep(3000);
      for (const c of connections) c.write("a");
    }
    const held = connections.filter((c) => !c.closed).length;
    for (const c of connections) c.close();
    return { limited: held === 0, held, note: `all closed after ${Math.round((Date.now() - started) / 1000)} s: ${held === 0}` };
  },
};

export const idleConnections: Attack = {
  name: "5,000 idle connections",
  async run({ realm1 }) {
    const connections: RawConnection[] = [];
    // Opened over about five seconds, then held: the attack is what they hold, not how fast they come.
    for (let i = 0; i < 5000; i += 100) {
      connections.push(...(await Promise.all(Array.from({ length: 100 }, () => RawConnection.open(realm1.port, FROM.idle)))));
      await sleep(100);
    }
    await sleep(3000);
    const held = connections.filter((c) => !c.closed).length;
    const refused = connections.filter((c) => c.firstReplies.some((r) => r.includes("TOO_MANY_CONNECTIONS"))).length;
    for (const c of connections) c.close();
    return { limited: held <= 1000, held, note: `${refused} refused TOO_MANY_CONNECTIONS; the rest close after 120 s without a login` };
  },
};

export const bruteForce: Attack = {
  name: "brute force (1,000 guesses at hB)",
  async run({ realm1, password }) {
    const connections = await Promise.all(Array.from({ length: 10 }, () => RawConnection.open(realm1.port, FROM.guess, true)));
    const deadline = Date.now() + 20_000;
    let guesses = 0;
    await Promise.all(
      connections.map(async (c) => {
        while (guesses < 1000 && Date.now() < deadline && !c.closed) {
          const replies = c.replies;
          c.write(`auth hB guess${guesses++}\r\n`);
          await c.untilReplies(replies + 1);
        }
      }),
    );
    const text = connections.map((c) => c.text).join("");
    const checked = (text.match(/AUTH_FAILED/g) ?? []).length;
    const throttled = (text.match(/LOGIN_THROTTLED/g) ?? []).length;
    for (const c of connections) c.close();
    const honest = await RawConnection.open(realm1.port, "127.0.0.1");
    const started = Date.now();
    let loggedIn = false;
    while (!loggedIn && Date.now() - started < 10_000) {
      loggedIn = await honest.auth("hB", password).then(
        () => true,
        () => false,
      );
      if (!loggedIn) await sleep(500);
    }
    honest.close();
    return {
      limited: throttled > 0,
      held: 0,
      note:
        `${guesses} guesses: ${checked} checked, ${throttled} refused; hB logs in after ` +
        `${loggedIn ? `${Date.now() - started} ms` : "more than 10 s"}`,
    };
  },
};

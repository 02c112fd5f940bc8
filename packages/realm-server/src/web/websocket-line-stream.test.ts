import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { WebSocketLineStream } from "./websocket-line-stream.ts";

describe("WebSocketLineStream", () => {
  it("writes each line of a chunk as a text frame of its own, whatever its length takes to say (7, 16 or 64 bits)", async () => {
    const server = createServer();
    const wss = new WebSocketServer({ noServer: true });
    const sizes = [0, 1, 125, 126, 65_535, 65_536, 200_000];
    const lines = sizes.map((n, i) => String.fromCharCode(97 + i).repeat(n));
    let written = false;
    server.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
      wss.handleUpgrade(request, socket, head, (ws) => {
        const stream = new WebSocketLineStream(ws, socket);
        // Two writes: the first with a line left open at its end, as a connection's turn may end.
        stream.write(lines.slice(0, 4).join("\n") + "\n" + lines.slice(4).join("\n"), () => (written = true));
        stream.write("\né ✓\n");
        stream.write("ascii only\nand another");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const got: string[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on("message", (data: Buffer, isBinary) => {
        expect(isBinary).toBe(false);
        got.push(data.toString("utf8"));
        if (got.length === lines.length + 4) resolve();
      });
      client.on("error", reject);
    });
    expect(got.slice(0, lines.length).map((l) => l.length)).toEqual(sizes);
    expect(got.slice(0, lines.length)).toEqual(lines);
    expect(got.slice(lines.length)).toEqual(["", "é ✓", "ascii only", "and another"]);
    expect(written).toBe(true);
    client.close();
    wss.close();
    await new Promise((r) => server.close(r));
  });
});

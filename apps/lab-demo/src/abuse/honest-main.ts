// The honest users' own process (see HonestProcess): realm1 port, realm2 port, password.
import { createInterface } from "node:readline";
import { HonestTraffic } from "./honest-traffic.ts";

const [port1, port2, password] = process.argv.slice(2);
const traffic = await HonestTraffic.start(
  { host: "127.0.0.1", port: Number(port1) },
  { host: "127.0.0.1", port: Number(port2) },
  password as string,
);
process.stdout.write("ready\n");
for await (const command of createInterface({ input: process.stdin })) {
  if (command === "open") {
    traffic.openWindow();
    process.stdout.write("opened\n");
  } else if (command === "close") process.stdout.write(JSON.stringify(await traffic.closeWindow()) + "\n");
  else if (command === "stop") break;
}
await traffic.stop();
process.exit(0);

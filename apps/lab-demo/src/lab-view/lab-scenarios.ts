import type { Caption, ScenarioContext } from "./scenario-context.ts";
import { pushed, pushedAndAcknowledged } from "./scenario-steps.ts";

/**
 * The guided scenarios of the lab view (docs/design/lab-view.md): one per operation of the seed,
 * and two of federation's hard cases. Each runs the real servers through its steps; the page
 * shows each step's caption while it plays the frames the step caused.
 */
export interface LabScenario {
  readonly id: string;
  readonly title: Caption;
  run(s: ScenarioContext): Promise<void>;
}

export const LAB_SCENARIOS: readonly LabScenario[] = [
  {
    id: "auth",
    title: { en: "Authentication", id: "Autentikasi" },
    async run(s) {
      const messi = await s.classic("realm1");
      await s.step(
        {
          en:
            "messi opens a TCP connection to realm1 and sends `auth` with a wrong " +
            "password: the realm answers with an error and keeps the connection.",
          id:
            "messi membuka koneksi TCP ke realm1 dan mengirim `auth` dengan kata sandi yang " +
            "salah: realm menjawab dengan galat dan koneksi tetap terbuka.",
        },
        async () => {
          await messi.auth("messi", "salah").then(
            () => Promise.reject(new Error("a wrong password was accepted")),
            () => undefined,
          );
        },
      );
      await s.step(
        {
          en: "With the right password realm1 answers OK and a token (the tap shows ••• for both: secrets never leave the server).",
          id:
            "Dengan kata sandi yang benar realm1 menjawab OK dan sebuah token (tap " +
            "menampilkan ••• untuk keduanya: rahasia tidak pernah keluar dari server).",
        },
        async () => void (await messi.auth("messi", "surabaya")),
      );
      await s.step({ en: "`logout` with the token ends the session.", id: "`logout` dengan token mengakhiri sesi." }, () => messi.logout());
    },
  },
  {
    id: "inbox",
    title: { en: "Inbox", id: "Kotak masuk" },
    async run(s) {
      const henderson = await s.classic("realm1");
      await henderson.auth("henderson", "surabaya");
      await s.step(
        {
          en: "henderson sends lineker two messages while lineker is offline: realm1 keeps them in lineker's inbox.",
          id: "henderson mengirim dua pesan kepada lineker yang sedang luring: realm1 menyimpannya di kotak masuk lineker.",
        },
        async () => {
          await henderson.send("lineker", "Gary, sudah makan?");
          await henderson.send("lineker", "Nanti kita latihan jam 4.");
        },
      );
      const lineker = await s.classic("realm1");
      await s.step(
        {
          en: "lineker logs in and asks for his inbox: both messages come in one reply, and leave the inbox.",
          id: "lineker masuk dan meminta kotak masuknya: kedua pesan datang dalam satu balasan, lalu keluar dari kotak masuk.",
        },
        async () => {
          await lineker.auth("lineker", "surabaya");
          if ((await lineker.inbox()).length < 2) throw new Error("the inbox did not hold both messages");
        },
      );
    },
  },
  {
    id: "private",
    title: { en: "Private chat", id: "Obrolan pribadi" },
    async run(s) {
      await pushedAndAcknowledged(
        s,
        {
          from: { realm: "realm1", user: "messi", password: "surabaya" },
          to: { realm: "realm1", user: "henderson", password: "surabaya" },
          address: "henderson",
          text: "Jordan, ayo ngopi!",
        },
        [
          {
            en:
              "messi (classic protocol) sends henderson a message; henderson is online " +
              "with the live protocol, so realm1 pushes it to him at once.",
            id:
              "messi (protokol klasik) mengirim pesan kepada henderson; henderson daring " +
              "dengan protokol live, jadi realm1 langsung mendorongnya kepadanya.",
          },
          {
            en:
              "henderson's client acknowledges it: a message acknowledged within 100 ms of its push is never " +
              "written to disk; after that, realm1 has written it and the ack removes it.",
            id:
              "klien henderson mengakui pesan itu: pesan yang diakui dalam 100 ms setelah didorong tidak " +
              "pernah ditulis ke disk; setelah itu, realm1 sudah menulisnya dan pengakuan menghapusnya.",
          },
        ],
      );
    },
  },
  {
    id: "group",
    title: { en: "Group chat", id: "Obrolan grup" },
    async run(s) {
      const messi = await s.classic("realm1");
      const henderson = await s.classic("realm1");
      await messi.auth("messi", "surabaya");
      await henderson.auth("henderson", "surabaya");
      const heard: string[] = [];
      await s.step(
        {
          en: "messi and henderson join the group `batak`: their connections switch to group mode, where each line is a chat line.",
          id:
            "messi dan henderson bergabung ke grup `batak`: koneksi mereka beralih ke " +
            "mode grup, di mana setiap baris adalah baris obrolan.",
        },
        async () => {
          await messi.joinGroup("batak", () => undefined);
          await henderson.joinGroup("batak", (line) => heard.push(line));
        },
      );
      await s.step(
        {
          en: "messi says hello: realm1 sends the line to every member.",
          id: "messi menyapa: realm1 mengirim baris itu ke setiap anggota.",
        },
        async () => {
          messi.say("halo semua!");
          await s.until("henderson hears messi", () => heard.some((l) => l.endsWith("halo semua!")));
        },
      );
    },
  },
  {
    id: "private-across",
    title: { en: "Private chat across realms", id: "Obrolan pribadi antar-realm" },
    async run(s) {
      await pushedAndAcknowledged(
        s,
        {
          from: { realm: "realm1", user: "messi", password: "surabaya" },
          to: { realm: "realm2", user: "james", password: "medan" },
          address: "james@realm2",
          text: "Halo, apa kabar, james?",
        },
        [
          {
            en: "messi sends james@realm2 a message: realm1 → bridge-realm1 → bridge-realm2 → realm2 → james, each hop a frame.",
            id:
              "messi mengirim pesan kepada james@realm2: realm1 → bridge-realm1 → " +
              "bridge-realm2 → realm2 → james, setiap lompatan satu frame.",
          },
          {
            en:
              "james's client acknowledges it. realm2 answered `stored` back along the bridges when the client " +
              "acknowledged it or, after 100 ms, wrote it to disk; each holder lets the message go only then.",
            id:
              "klien james mengakuinya. realm2 menjawab `stored` lewat jembatan saat klien mengakuinya atau, " +
              "setelah 100 ms, menulisnya ke disk; setiap pemegang baru melepaskan pesan itu saat itu.",
          },
        ],
      );
    },
  },
  {
    id: "group-across",
    title: { en: "Group chat across realms", id: "Obrolan grup antar-realm" },
    async run(s) {
      const james = await s.live("realm2");
      await james.client.auth("james", "medan");
      const messi = await s.classic("realm1");
      await messi.auth("messi", "surabaya");
      await s.step(
        {
          en: "messi joins `batak` on realm1, its home; james on realm2 joins `batak@realm1` through the bridges.",
          id: "messi bergabung ke `batak` di realm1, rumahnya; james di realm2 bergabung ke `batak@realm1` melalui jembatan.",
        },
        async () => {
          await messi.joinGroup("batak", () => undefined);
          await james.client.join("batak@realm1");
        },
      );
      await s.step(
        {
          en: "messi says a line: the home realm sends it once to realm2, which gives it to its members.",
          id: "messi mengucapkan satu baris: realm rumah mengirimnya sekali ke realm2, yang meneruskannya ke anggotanya.",
        },
        async () => {
          messi.say("halo james, selamat datang!");
          await s.until("james hears messi", () => pushed(james.events, "group", "halo james, selamat datang!"));
        },
      );
      await s.step({ en: "james answers from realm2.", id: "james menjawab dari realm2." }, () =>
        james.client.say("batak@realm1", "terima kasih!"),
      );
    },
  },
  {
    id: "realm-down",
    title: { en: "A realm goes down", id: "Sebuah realm mati" },
    async run(s) {
      const messi = await s.classic("realm1");
      await messi.auth("messi", "surabaya");
      await s.step(
        {
          en: "realm2's server stops. bridge-realm2 loses its realm and tells bridge-realm1.",
          id: "Server realm2 berhenti. bridge-realm2 kehilangan realm-nya dan memberi tahu bridge-realm1.",
        },
        () => s.fault("stop-realm2"),
      );
      await s.step(
        {
          en: "messi writes to jantuar@realm2: he hears `queued`, and the message waits in the bridges' queue on disk.",
          id: "messi menulis kepada jantuar@realm2: ia mendengar `queued`, dan pesan menunggu di antrean jembatan di disk.",
        },
        async () => {
          const sent = await messi.send("jantuar@realm2", "Jantuar, kamu di mana?");
          if (!sent.queued) throw new Error("the message was not queued");
        },
      );
      await s.step(
        {
          en: "realm2 starts again; bridge-realm2 links to it and hands over what waited; realm2 answers `stored`.",
          id: "realm2 berjalan lagi; bridge-realm2 terhubung kembali dan menyerahkan yang menunggu; realm2 menjawab `stored`.",
        },
        () => s.fault("start-realm2"),
      );
      const jantuar = await s.classic("realm2");
      await s.step(
        { en: "jantuar logs in and finds it in his inbox, once.", id: "jantuar masuk dan menemukannya di kotak masuknya, satu kali." },
        async () => {
          await jantuar.auth("jantuar", "moskow");
          await s.until("jantuar has the message", async () => (await jantuar.inbox()).some((m) => m.text === "Jantuar, kamu di mana?"));
        },
      );
    },
  },
  {
    id: "group-race",
    title: { en: "Two realms create one group at once", id: "Dua realm membuat satu grup bersamaan" },
    async run(s) {
      const messi = await s.live("realm1");
      const james = await s.live("realm2");
      await messi.client.auth("messi", "surabaya");
      await james.client.auth("james", "medan");
      const name = `kopi${Date.now() % 10_000}`;
      const homes: string[] = [];
      await s.step(
        {
          en: `messi on realm1 and james on realm2 create \`${name}\` at the same moment: for an instant there are two groups of one name.`,
          id: `messi di realm1 dan james di realm2 membuat \`${name}\` pada saat yang sama: sesaat ada dua grup dengan satu nama.`,
        },
        async () => {
          for (const joined of await Promise.all([messi.client.join(name), james.client.join(name)])) homes.push(joined.home);
        },
      );
      await s.step(
        {
          en:
            "The realms compare the groups' creation times; the younger group merges into " +
            "the older (`gmerge`), and its members are told they moved.",
          id:
            "Realm membandingkan waktu pembuatan grup; grup yang lebih muda bergabung ke yang " +
            "lebih tua (`gmerge`), dan anggotanya diberi tahu bahwa mereka pindah.",
        },
        // Had one join found the other's group already, there is one group from the start.
        () => s.until("one group", () => pushed(messi.events, "moved") || pushed(james.events, "moved") || homes[0] === homes[1]),
      );
    },
  },
];

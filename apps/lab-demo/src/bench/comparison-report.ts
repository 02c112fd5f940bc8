import type { SystemFigures, WorkloadFigures } from "./comparison-run.ts";

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const ms = (n: number): string => (n < 10 ? n.toFixed(1) : Math.round(n).toString());
const us = (n: number): string => (n < 10 ? n.toFixed(1) : Math.round(n).toString());

function cell(f: WorkloadFigures | undefined, unit: string): string {
  if (f === undefined) return "-";
  const lost = f.delivered < f.expected ? `, ${f.expected - f.delivered} missing` : "";
  const bad = f.duplicatedOrReordered > 0 ? `, ${f.duplicatedOrReordered} doubled/reordered` : "";
  return (
    `${fmt(f.perSecond)} ${unit}/s, p50 ${ms(f.p50Ms)} / p99 ${ms(f.p99Ms)} / max ${ms(f.maxMs)} ms, ` +
    `${us(f.cpuMicrosPerDelivery)} µs CPU, ${f.peakRssMb} MB RSS / ${f.peakPssMb} MB PSS${lost}${bad}`
  );
}

/** The comparison as a markdown table: one row per workload, ours, the peer, and the ratios. */
export function comparisonTable(ours: readonly WorkloadFigures[], peer: readonly WorkloadFigures[] | undefined): string {
  const lines = [
    "| workload (counted at the receivers) | ngircd pair | ours (live protocol) | throughput ours/ngircd | CPU per delivery ours/ngircd |",
    "|---|---|---|---|---|",
  ];
  for (const o of ours) {
    const p = peer?.find((x) => x.workload === o.workload);
    const unit = o.workload.startsWith("group") ? "deliveries" : "msgs";
    const ratio = p === undefined || p.perSecond === 0 ? "-" : (o.perSecond / p.perSecond).toFixed(2);
    const cpu = p === undefined || p.cpuMicrosPerDelivery === 0 ? "-" : `${(o.cpuMicrosPerDelivery / p.cpuMicrosPerDelivery).toFixed(1)}×`;
    lines.push(`| ${o.title} | ${cell(p, unit)} | ${cell(o, unit)} | ${ratio} | ${cpu} |`);
  }
  return lines.join("\n");
}

/** Idle-connection memory and the sweep over connected users, one row per level and system. */
export function connectionsTable(systems: readonly SystemFigures[]): string {
  const lines = ["| system | users connected | msgs/s | p99 ms | µs CPU per message | server RSS MB |", "|---|---|---|---|---|---|"];
  for (const s of systems) {
    for (const p of s.connections?.sweep ?? [])
      lines.push(
        `| ${s.system} | ${fmt(p.connected)} | ${fmt(p.perSecond)} | ${ms(p.p99Ms)} | ${us(p.cpuMicrosPerDelivery)} | ${p.rssMb} |`,
      );
  }
  const idle = systems
    .filter((s) => s.connections !== undefined)
    .map((s) => `${s.system}: ${(s.connections?.kibPerIdleConnection ?? 0).toFixed(1)} KiB per idle logged-in connection`)
    .join("; ");
  return `${lines.join("\n")}\n\n${idle}`;
}

/** CPU per delivery process by process (and the load generator's), one row per workload and system. */
export function cpuByProcessTable(systems: readonly SystemFigures[]): string {
  const lines = ["| workload | system | µs CPU per delivery, by process |", "|---|---|---|"];
  for (const s of systems) {
    for (const f of s.workloads) {
      const parts = Object.entries(f.cpuMicrosByProcess).map(([name, micros]) => `${name} ${us(micros)}`);
      lines.push(`| ${f.workload} | ${s.system} | ${parts.join(", ")} |`);
    }
  }
  return lines.join("\n");
}

/** Ours over WebSocket beside ours on TCP: throughput, latency, CPU, and memory per idle connection. */
export function websocketTable(tcp: SystemFigures, websocket: SystemFigures): string {
  const lines = [
    "| workload (counted at the receivers) | live protocol on TCP | live protocol over WebSocket | throughput WebSocket/TCP |",
    "|---|---|---|---|",
  ];
  for (const w of websocket.workloads) {
    const t = tcp.workloads.find((x) => x.workload === w.workload);
    const unit = w.workload.startsWith("group") ? "deliveries" : "msgs";
    const ratio = t === undefined || t.perSecond === 0 ? "-" : (w.perSecond / t.perSecond).toFixed(2);
    lines.push(`| ${w.title} | ${cell(t, unit)} | ${cell(w, unit)} | ${ratio} |`);
  }
  const idle = (s: SystemFigures): string =>
    s.connections === undefined
      ? "not measured"
      : `${s.connections.kibPerIdleConnection.toFixed(1)} KiB (${fmt(s.connections.idleConnections)} connected)`;
  return `${lines.join("\n")}\n\nmemory per idle logged-in connection: TCP ${idle(tcp)}, WebSocket ${idle(websocket)}`;
}

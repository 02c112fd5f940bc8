import type { SweepPoint } from "./connection-sweep.ts";

export interface SweepSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly SweepPoint[];
}

const W = 640;
const H = 360;
const PAD = { left: 70, right: 150, top: 30, bottom: 50 };

const escape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/**
 * The sweep as an SVG line chart: connected users (log scale) across, messages per second up, one
 * line per system. Plain SVG, no library: it is a handful of lines and labels.
 */
export function sweepChart(title: string, series: readonly SweepSeries[]): string {
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => Math.log10(p.connected));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  const yMax = Math.max(...all.map((p) => p.perSecond), 1) * 1.1;
  const x = (connected: number): number => PAD.left + ((Math.log10(connected) - xMin) / (xMax - xMin)) * (W - PAD.left - PAD.right);
  const y = (perSecond: number): number => H - PAD.bottom - (perSecond / yMax) * (H - PAD.top - PAD.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${PAD.left}" y="18" font-size="14">${escape(title)}</text>`,
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="black"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="black"/>`,
    `<text x="${(W - PAD.right + PAD.left) / 2}" y="${H - 12}" text-anchor="middle">users connected (log scale)</text>`,
    `<text x="16" y="${(H - PAD.bottom + PAD.top) / 2}" transform="rotate(-90 16 ${(H - PAD.bottom + PAD.top) / 2})" ` +
      `text-anchor="middle">messages/s</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax / 4) * i;
    out.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${Math.round(v).toLocaleString("en-US")}</text>`);
    out.push(`<line x1="${PAD.left}" y1="${y(v)}" x2="${W - PAD.right}" y2="${y(v)}" stroke="#ddd"/>`);
  }
  for (const connected of [...new Set(all.map((p) => p.connected))]) {
    out.push(`<text x="${x(connected)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${connected.toLocaleString("en-US")}</text>`);
  }
  series.forEach((s, i) => {
    const path = s.points.map((p, k) => `${k === 0 ? "M" : "L"}${x(p.connected).toFixed(1)},${y(p.perSecond).toFixed(1)}`).join(" ");
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const p of s.points)
      out.push(`<circle cx="${x(p.connected).toFixed(1)}" cy="${y(p.perSecond).toFixed(1)}" r="3" fill="${s.color}"/>`);
    out.push(`<rect x="${W - PAD.right + 12}" y="${PAD.top + i * 20}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${W - PAD.right + 30}" y="${PAD.top + i * 20 + 11}">${escape(s.name)}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

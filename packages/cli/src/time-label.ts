const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const two = (n: number): string => String(n).padStart(2, "0");

/** `09:41` for a time today, `Nov 24 09:41` for an older one (local time). */
export function timeLabel(ms: number, now: number = Date.now()): string {
  if (!Number.isFinite(ms) || ms <= 0) return "--:--";
  const d = new Date(ms);
  const today = new Date(now);
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  if (sameDay) return hm;
  const year = d.getFullYear() === today.getFullYear() ? "" : ` ${d.getFullYear()}`;
  return `${MONTHS[d.getMonth()]} ${d.getDate()}${year} ${hm}`;
}

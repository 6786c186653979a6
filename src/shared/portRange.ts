/** The kernel's ephemeral port range (/proc/sys/net/ipv4/ip_local_port_range). */
export interface PortRange {
  low: number;
  high: number;
}

/** /proc/sys/net/ipv4/ip_local_port_range: "32768\t60999". */
export function parsePortRange(text: string): PortRange | null {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return null;
  const low = Number(m[1]);
  const high = Number(m[2]);
  return high >= low ? { low, high } : null;
}

import { normalizeEmail } from "../db/users";
import type { RateRuleName } from "../lib/limits";

/**
 * Counter keys, pure. Each key names one RateLimiter object. The account key is built from the normalized email
 * (trimmed, lower-cased, as accounts are stored), whether or not an account has it, so the limits reveal nothing
 * about which accounts exist.
 */
export const accountKey = (rule: RateRuleName, email: string): string => `acct:${rule}:${normalizeEmail(email)}`;

export const ipKey = (rule: RateRuleName, network: string): string => `ip:${rule}:${network}`;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/** `a.b.c.d` as two hextets, or null. */
function ipv4Hextets(ip: string): string[] | null {
  const parts = IPV4.exec(ip)?.slice(1).map(Number);
  if (!parts || parts.some((n) => n > 255)) return null;
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

/** The eight hextets of an IPv6 address (`::` expanded, a dotted IPv4 tail converted), or null if malformed. */
function ipv6Hextets(ip: string): string[] | null {
  const halves = ip.split("::");
  if (halves.length > 2) return null;
  const side = (text: string | undefined): string[] | null => {
    if (!text) return [];
    const groups = text.split(":");
    const last = groups[groups.length - 1] ?? "";
    if (last.includes(".")) {
      const tail = ipv4Hextets(last);
      if (!tail) return null;
      groups.splice(groups.length - 1, 1, ...tail);
    }
    return groups.every((g) => HEXTET.test(g)) ? groups.map((g) => Number.parseInt(g, 16).toString(16)) : null;
  };
  const head = side(halves[0]);
  const tail = side(halves[1]);
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing < 1 ? null : [...head, ...Array<string>(missing).fill("0"), ...tail];
}

/**
 * The client network to count per IP, from `CF-Connecting-IP`: an IPv4 address as is, an IPv6 address by its /64
 * (one subscriber usually holds a whole /64, so counting single addresses would let a client rotate past the limit),
 * an IPv4-mapped IPv6 address as its IPv4 address. `null` without the header: no per-IP counter then. On Cloudflare
 * the edge always sets the header and overwrites any value a client sends.
 */
export function clientNetwork(header: string | undefined | null): string | null {
  const ip = header?.trim().toLowerCase();
  if (!ip) return null;
  if (IPV4.test(ip)) return ip;
  const hextets = ip.includes(":") ? ipv6Hextets(ip) : null;
  // Something else (never from Cloudflare's edge): counted as sent, bounded.
  if (!hextets) return ip.slice(0, 64);
  if (hextets.slice(0, 5).every((h) => h === "0") && hextets[5] === "ffff") {
    const [hi = 0, lo = 0] = hextets.slice(6).map((h) => Number.parseInt(h, 16));
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
  }
  return `${hextets.slice(0, 4).join(":")}::/64`;
}

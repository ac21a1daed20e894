import { LIMITS } from "../lib/limits";

/**
 * Outbound safety of webhook deliveries (docs/changes.md "Outbound safety"): an endpoint is an `https` URL of a
 * public host, checked when it is registered and again, after DNS, before every delivery. No private, loopback or
 * link-local address, whether written in the URL or resolved from its name; redirects are never followed (the
 * delivery sends with `redirect: "manual"`). Locally (`NOWATCH_ENV=local`) `http(s)://127.0.0.1:*` and
 * `localhost` are allowed too, to try webhooks with a receiver on the same machine.
 */

/** Resolves a host name to its IPv4 and IPv6 addresses (text form). */
export type Resolver = (host: string) => Promise<string[]>;

const LOCAL_RECEIVER_HOSTS = new Set(["127.0.0.1", "localhost"]);
const PRIVATE_NAME_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp"];

export const NOT_PUBLIC = "url: must not point to a private, loopback or link-local address";

// --- addresses -----------------------------------------------------------------------------------------------

/** IPv4 ranges that are not the public internet (RFC 6890 special-purpose registry), as [first octets, bits]. */
const V4_BLOCKED: [number, number][] = [
  [0x00000000, 8], // "this network"
  [0x0a000000, 8], // private
  [0x64400000, 10], // carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local (cloud metadata at 169.254.169.254)
  [0xac100000, 12], // private
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0000200, 24], // TEST-NET-1
  [0xc0586300, 24], // 6to4 relay anycast
  [0xc0a80000, 16], // private
  [0xc6120000, 15], // benchmarking
  [0xc6336400, 24], // TEST-NET-2
  [0xcb007100, 24], // TEST-NET-3
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, broadcast
];

function parseV4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

const v4Public = (value: number): boolean =>
  !V4_BLOCKED.some(([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));

function parseV6(text: string): bigint | null {
  let address = text.toLowerCase();
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) stands for the last two groups.
  let v4Tail: number | null = null;
  const lastColon = address.lastIndexOf(":");
  if (lastColon >= 0 && address.includes(".", lastColon)) {
    v4Tail = parseV4(address.slice(lastColon + 1));
    if (v4Tail === null) return null;
    address = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string): string[] => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0] as string);
  const rest = halves.length === 2 ? groups(halves[1] as string) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  let value = 0n;
  for (const group of [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest]) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return v4Tail === null ? value : (value & ~0xffffffffn) | BigInt(v4Tail);
}

const V6_BLOCKED: [bigint, number][] = [
  [0n, 96], // unspecified, loopback, IPv4-compatible
  [0xfc00n << 112n, 7], // unique local
  [0xfe80n << 112n, 10], // link-local
  [0xfec0n << 112n, 10], // site-local (deprecated)
  [0xff00n << 112n, 8], // multicast
  [0x0100n << 112n, 64], // discard-only
  [(0x2001n << 112n) | (0x0db8n << 96n), 32], // documentation
  [0x2001n << 112n, 32], // Teredo
  [(0x0064n << 112n) | (0xff9bn << 96n) | (0x0001n << 80n), 48], // local-use IPv4/IPv6 translation
];

const inPrefix = (value: bigint, base: bigint, bits: number): boolean =>
  value >> BigInt(128 - bits) === base >> BigInt(128 - bits);

function v6Public(value: bigint): boolean {
  // Addresses that embed an IPv4 address are as public as that address.
  if (inPrefix(value, 0xffffn << 32n, 96)) return v4Public(Number(value & 0xffffffffn)); // IPv4-mapped
  if (inPrefix(value, (0x0064n << 112n) | (0xff9bn << 96n), 96)) return v4Public(Number(value & 0xffffffffn)); // NAT64
  if (inPrefix(value, 0x2002n << 112n, 16)) return v4Public(Number((value >> 80n) & 0xffffffffn)); // 6to4
  return !V6_BLOCKED.some(([base, bits]) => inPrefix(value, base, bits));
}

/** Whether an IP address (IPv4 dotted or IPv6 text, brackets allowed) is on the public internet; false if invalid. */
export function isPublicAddress(address: string): boolean {
  const text = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const v4 = parseV4(text);
  if (v4 !== null) return v4Public(v4);
  if (!text.includes(":")) return false;
  const v6 = parseV6(text.split("%")[0] as string);
  return v6 !== null && v6Public(v6);
}

const isIpLiteral = (hostname: string): boolean => hostname.startsWith("[") || parseV4(hostname) !== null;

// --- URLs ----------------------------------------------------------------------------------------------------

/** A local receiver (`NOWATCH_ENV=local` only): no DNS, no https needed. */
const isLocalReceiver = (url: URL, local: boolean): boolean => local && LOCAL_RECEIVER_HOSTS.has(url.hostname);

/**
 * What is wrong with an endpoint URL, checked without the network (at registration and before each delivery);
 * empty when nothing is. The URL parser has already normalized the host (`http://2852039166` is 169.254.169.254).
 */
export function endpointProblems(raw: string, local: boolean): string[] {
  if (raw.length > LIMITS.webhookUrlLength) return [`url: must be at most ${LIMITS.webhookUrlLength} characters`];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return ["url: must be an absolute URL"];
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return ["url: must use https"];
  const problems: string[] = [];
  if (url.username !== "" || url.password !== "") problems.push("url: must not carry credentials");
  if (url.hash !== "") problems.push("url: must not have a fragment");
  if (isLocalReceiver(url, local)) return problems;
  if (url.protocol !== "https:") problems.push("url: must use https");
  const host = url.hostname.toLowerCase();
  if (isIpLiteral(host)) {
    if (!isPublicAddress(host)) problems.push(NOT_PUBLIC);
  } else if (host === "localhost" || !host.includes(".") || PRIVATE_NAME_SUFFIXES.some((s) => host.endsWith(s))) {
    problems.push("url: must name a public host");
  }
  return problems;
}

/**
 * What stops a delivery to `raw` now: the static rules, then the host's DNS answer (every address must be public,
 * so a name that resolves to 10.0.0.1 is refused as 10.0.0.1 is). Null when it may be sent.
 */
export async function deliveryProblem(raw: string, local: boolean, resolve: Resolver): Promise<string | null> {
  const problems = endpointProblems(raw, local);
  if (problems.length > 0) return problems.join("; ");
  const url = new URL(raw);
  if (isLocalReceiver(url, local) || isIpLiteral(url.hostname)) return null;
  let addresses: string[];
  try {
    addresses = await resolve(url.hostname);
  } catch (error) {
    return `DNS lookup of ${url.hostname} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (addresses.length === 0) return `${url.hostname} does not resolve`;
  const blocked = addresses.find((address) => !isPublicAddress(address));
  return blocked === undefined ? null : `${NOT_PUBLIC} (${url.hostname} resolves to ${blocked})`;
}

interface DnsJson {
  Status: number;
  Answer?: { type: number; data: string }[];
}

/** A resolver over DNS-over-HTTPS (Cloudflare's JSON API): A and AAAA in parallel. */
export function dohResolver(
  fetcher: typeof fetch = fetch,
  endpoint = "https://cloudflare-dns.com/dns-query",
): Resolver {
  const ask = async (host: string, type: "A" | "AAAA"): Promise<string[]> => {
    const response = await fetcher(`${endpoint}?name=${encodeURIComponent(host)}&type=${type}`, {
      headers: { accept: "application/dns-json" },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`resolver answered ${response.status}`);
    const answer = (await response.json()) as DnsJson;
    // 0 NOERROR, 3 NXDOMAIN (no addresses); anything else is a failure of the lookup itself.
    if (answer.Status !== 0 && answer.Status !== 3) throw new Error(`resolver status ${answer.Status}`);
    const wanted = type === "A" ? 1 : 28;
    return (answer.Answer ?? []).filter((record) => record.type === wanted).map((record) => record.data);
  };
  return async (host) => {
    const [v4, v6] = await Promise.all([ask(host, "A"), ask(host, "AAAA")]);
    return [...v4, ...v6];
  };
}

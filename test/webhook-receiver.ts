/**
 * The outside world of the webhook tests, run by vitest in Node as Miniflare's `outboundService`: every fetch the
 * Worker makes to the network lands here (vitest.config.ts). It plays
 * - webhook receivers on http://127.0.0.1:9999 (allowed with NOWATCH_ENV=local) and https://hooks.example.com,
 *   answering by path: `/ok/…` 204, `/fail/…` 500, `/redirect/…` 302 to the cloud metadata address, `/slow/…` after
 *   the delivery's time limit;
 * - Cloudflare's DNS-over-HTTPS resolver, where hooks.example.com is public and rebind.example.com resolves to
 *   10.0.0.1;
 * - `GET http://127.0.0.1:9999/_log?prefix=/ok/<id>`: the requests received under a path prefix, for the tests.
 */

interface Received {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

const received: Received[] = [];

const DNS: Record<string, { A: string[]; AAAA: string[] }> = {
  "hooks.example.com": { A: ["93.184.215.14"], AAAA: ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"] },
  "rebind.example.com": { A: ["10.0.0.1"], AAAA: [] },
};

function dns(url: URL): Response {
  const name = url.searchParams.get("name") ?? "";
  const type = url.searchParams.get("type") === "AAAA" ? "AAAA" : "A";
  const entry = DNS[name];
  const answer = (entry?.[type] ?? []).map((data) => ({ name, type: type === "A" ? 1 : 28, TTL: 60, data }));
  return Response.json(
    { Status: entry ? 0 : 3, Answer: answer },
    { headers: { "content-type": "application/dns-json" } },
  );
}

export async function webhookReceiver(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname === "cloudflare-dns.com") return dns(url);
  if (url.pathname === "/_log") {
    const prefix = url.searchParams.get("prefix") ?? "/";
    return Response.json(received.filter((r) => r.path.startsWith(prefix)));
  }
  const body = await request.text();
  received.push({
    method: request.method,
    url: request.url,
    path: url.pathname,
    headers: Object.fromEntries(request.headers),
    body,
    at: Date.now(),
  });
  const [, mode] = url.pathname.split("/");
  if (mode === "ok") return new Response(null, { status: 204 });
  if (mode === "fail") return new Response("boom", { status: 500 });
  if (mode === "redirect") {
    return new Response(null, { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } });
  }
  if (mode === "slow") {
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    return new Response(null, { status: 204 });
  }
  return new Response("not a receiver path", { status: 404 });
}

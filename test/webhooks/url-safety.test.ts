import { describe, expect, it } from "vitest";
import {
  deliveryProblem,
  dohResolver,
  endpointProblems,
  isPublicAddress,
  NOT_PUBLIC,
} from "../../src/webhooks/url-safety";

describe("isPublicAddress", () => {
  it.each([
    "0.0.0.0",
    "10.0.0.1",
    "100.64.0.1",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "192.0.2.10",
    "198.18.0.1",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "[::1]",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "ff02::1",
    "::ffff:10.0.0.1",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a9fe:a9fe",
    "2002:a00:1::",
    "2001:db8::1",
    "fe80::1%eth0",
    "not-an-ip",
    "999.1.1.1",
    "1.2.3",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    "93.184.215.14",
    "8.8.8.8",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700:4700::1111",
    "[2606:4700:4700::1111]",
    "::ffff:8.8.8.8",
    "2002:808:808::",
  ])("allows %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("endpointProblems", () => {
  it("allows an https URL of a public host", () => {
    expect(endpointProblems("https://hooks.example.com/nowatch?x=1", false)).toEqual([]);
  });

  it.each([
    ["http://169.254.169.254/latest/meta-data", ["url: must use https", NOT_PUBLIC]],
    ["http://10.0.0.1/hook", ["url: must use https", NOT_PUBLIC]],
    ["https://10.0.0.1/hook", [NOT_PUBLIC]],
    ["https://2852039166/hook", [NOT_PUBLIC]], // 169.254.169.254 written as one number
    ["https://0x7f.1/hook", [NOT_PUBLIC]], // 127.0.0.1 in hex
    ["https://[::1]/hook", [NOT_PUBLIC]],
    ["https://[::ffff:10.0.0.1]/hook", [NOT_PUBLIC]],
    ["https://localhost/hook", ["url: must name a public host"]],
    ["https://metadata.google.internal/", ["url: must name a public host"]],
    ["https://printer.local/", ["url: must name a public host"]],
    ["https://intranet/", ["url: must name a public host"]],
    ["https://user:pass@hooks.example.com/", ["url: must not carry credentials"]],
    ["https://hooks.example.com/#frag", ["url: must not have a fragment"]],
    ["ftp://hooks.example.com/", ["url: must use https"]],
    ["not a url", ["url: must be an absolute URL"]],
    [`https://hooks.example.com/${"a".repeat(2100)}`, ["url: must be at most 2048 characters"]],
  ])("refuses %s", (url, problems) => {
    expect(endpointProblems(url, false)).toEqual(problems);
    // Locally the same, except for the two local receiver hosts (0x7f.1 is 127.0.0.1 once parsed).
    const host = URL.canParse(url) ? new URL(url).hostname : "";
    if (host !== "127.0.0.1" && host !== "localhost") expect(endpointProblems(url, true)).toEqual(problems);
  });

  it("allows a local receiver only with NOWATCH_ENV=local", () => {
    for (const url of ["http://127.0.0.1:8787/hook", "http://localhost:3000/hook", "https://localhost/hook"]) {
      expect(endpointProblems(url, true)).toEqual([]);
      expect(endpointProblems(url, false).length).toBeGreaterThan(0);
    }
    // Only those two hosts: the rest of the loopback and private ranges stay refused locally too.
    expect(endpointProblems("http://127.0.0.2/hook", true)).toContain(NOT_PUBLIC);
    expect(endpointProblems("http://192.168.1.10/hook", true)).toContain(NOT_PUBLIC);
  });
});

describe("deliveryProblem", () => {
  const resolver = (answers: Record<string, string[]>) => async (host: string) => {
    const found = answers[host];
    if (!found) throw new Error("SERVFAIL");
    return found;
  };

  it("refuses a name that resolves to a private address, even one of several", async () => {
    const resolve = resolver({ "rebind.example.com": ["93.184.215.14", "10.0.0.1"] });
    expect(await deliveryProblem("https://rebind.example.com/h", false, resolve)).toBe(
      `${NOT_PUBLIC} (rebind.example.com resolves to 10.0.0.1)`,
    );
  });

  it("allows a name whose every address is public", async () => {
    const resolve = resolver({ "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"] });
    expect(await deliveryProblem("https://hooks.example.com/h", false, resolve)).toBeNull();
  });

  it("reports a name that does not resolve or whose lookup fails", async () => {
    expect(await deliveryProblem("https://nx.example.com/h", false, async () => [])).toBe(
      "nx.example.com does not resolve",
    );
    expect(await deliveryProblem("https://down.example.com/h", false, resolver({}))).toBe(
      "DNS lookup of down.example.com failed: SERVFAIL",
    );
  });

  it("applies the static rules first and asks no DNS for an address or a local receiver", async () => {
    let asked = 0;
    const counting = async () => {
      asked += 1;
      return ["93.184.215.14"];
    };
    expect(await deliveryProblem("http://169.254.169.254/", false, counting)).toContain(NOT_PUBLIC);
    expect(await deliveryProblem("https://93.184.215.14/h", false, counting)).toBeNull();
    expect(await deliveryProblem("http://127.0.0.1:9999/h", true, counting)).toBeNull();
    expect(asked).toBe(0);
  });
});

describe("dohResolver", () => {
  it("asks for A and AAAA and keeps only those records", async () => {
    const asked: string[] = [];
    const fetcher = (async (input: RequestInfo | URL) => {
      const url = new URL(String(input));
      asked.push(`${url.searchParams.get("name")} ${url.searchParams.get("type")}`);
      const records =
        url.searchParams.get("type") === "A"
          ? [
              { type: 5, data: "alias.example.net." },
              { type: 1, data: "93.184.215.14" },
            ]
          : [{ type: 28, data: "2606:2800::1" }];
      return Response.json({ Status: 0, Answer: records });
    }) as typeof fetch;
    expect(await dohResolver(fetcher)("hooks.example.com")).toEqual(["93.184.215.14", "2606:2800::1"]);
    expect(asked.sort()).toEqual(["hooks.example.com A", "hooks.example.com AAAA"]);
  });

  it("treats NXDOMAIN as no addresses and other failures as errors", async () => {
    const answering = (status: number, code = 200) =>
      (async () => Response.json({ Status: status }, { status: code })) as unknown as typeof fetch;
    expect(await dohResolver(answering(3))("nx.example.com")).toEqual([]);
    await expect(dohResolver(answering(2))("x.example.com")).rejects.toThrow("resolver status 2");
    await expect(dohResolver(answering(0, 502))("x.example.com")).rejects.toThrow("resolver answered 502");
  });
});

// Shared helpers for the benchmarks: a local `wrangler dev` server on its own state, HTTP helpers and statistics.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const APP_TOKEN = Buffer.from("dev-secret+nowatch-dev").toString("base64");

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the Worker as `npm run dev` does, on fresh local state in a temp dir. The default config is the bench
 * Worker (bench/worker): the real API plus the naive store the measurement benchmark compares against.
 */
export async function startServer(config = "bench/worker/wrangler.toml") {
  const state = mkdtempSync(join(tmpdir(), "nowatch-bench-"));
  const env = { ...process.env, CI: "true" };
  const migrate = spawnSync(
    "npx",
    ["wrangler", "d1", "migrations", "apply", "nowatch", "--local", "--persist-to", state, "--config", config],
    {
      env,
      encoding: "utf8",
    },
  );
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr}`);
  const port = await freePort();
  const child = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "--config",
      config,
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      state,
      "--var",
      "NOWATCH_ENV:local",
      "--log-level",
      "warn",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (Date.now() >= deadline) {
    process.kill(-child.pid, "SIGKILL");
    throw new Error(`server did not start:\n${output}`);
  }
  return {
    base,
    /**
     * The same Worker without wrangler dev's proxy in front (for the figures that name it): the runtime's own socket,
     * or null when it cannot be found.
     */
    direct: await runtimeUrl(child.pid, port),
    /** The tail of what wrangler and workerd printed, for when a scenario fails. */
    logs: () => output.slice(-4000),
    /** Resident memory (KiB) of the workerd processes serving this Worker. */
    workerdRssKiB() {
      return workerdProcesses(child.pid, "rss").reduce((sum, [rss]) => sum + Number(rss), 0);
    },
    /** CPU seconds (user + system) the workerd processes serving this Worker have used so far. */
    workerdCpuSeconds() {
      return workerdProcesses(child.pid, "times").reduce((sum, [seconds]) => sum + Number(seconds), 0);
    },
    stop() {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** The workerd processes of process group `pgid`, each as the value of the one `ps` column asked for. */
function workerdProcesses(pgid, column) {
  const ps = spawnSync("ps", ["-e", "-o", `${column}=,pgid=,comm=`], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group, comm]) => Number(group) === pgid && comm?.includes("workerd"));
}

/**
 * `wrangler dev` answers through a proxy (a Durable Object in its own workerd process that queues every request for
 * hot reloads) in front of the runtime serving the Worker. This finds the runtime's own listening socket: a socket of
 * a workerd in the server's process group, other than the proxy's public port, that answers GET /health with our
 * 200. Linux only (`ss`); null elsewhere.
 */
async function runtimeUrl(pgid, publicPort) {
  const pids = new Set(workerdProcesses(pgid, "pid").map(([pid]) => pid));
  const ss = spawnSync("ss", ["-ltnpH"], { encoding: "utf8" });
  if (ss.status !== 0 || pids.size === 0) return null;
  const ports = ss.stdout
    .split("\n")
    .filter((line) => [...pids].some((pid) => line.includes(`pid=${pid},`)))
    .map((line) => /127\.0\.0\.1:(\d+)/.exec(line)?.[1])
    .filter((port) => port && Number(port) !== publicPort);
  for (const port of ports) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200 && (await res.json()).version === "0.9.0") return `http://127.0.0.1:${port}`;
    } catch {
      // another of the runtime's sockets (the inspector, the loopback service)
    }
  }
  return null;
}

const STALE_SOCKET = new Set(["EPIPE", "ECONNRESET", "UND_ERR_SOCKET"]);

/**
 * fetch, resent once when it died on a pooled keep-alive socket that the server had already closed (this happens
 * after the bench spent seconds generating data): such a request never reached the Worker.
 */
export async function fetchOnce(url, init) {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (!STALE_SOCKET.has(error.cause?.code)) throw error;
    return fetch(url, init);
  }
}

/**
 * One request through curl, timed by curl itself (`time_total`): a native client, so the figure is the server's and
 * not Node's body handling (Node's fetch needs seconds to take in a 45 MB body that curl reads in 0.3 s).
 * `form` sends multipart fields (`@path` for a file), `data` a raw body (`@path` for a file). Answers the status, the body (parsed when JSON) and the time.
 */
export async function curl(url, { method = "GET", token, form, data, headers = {} } = {}) {
  const args = ["-s", "-S", "-X", method, "-o", "-", "-w", "\n%{http_code} %{time_total}"];
  if (token) args.push("-H", `authorization: Bearer ${token}`);
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  for (const [k, v] of Object.entries(form ?? {})) args.push("-F", `${k}=${v}`);
  if (data !== undefined) args.push("--data-binary", data);
  const out = await new Promise((resolve) => {
    const child = spawn("curl", [...args, url]);
    const chunks = [];
    let stderr = "";
    child.stdout.on("data", (d) => chunks.push(d));
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(chunks).toString("utf8"), stderr }));
  });
  if (out.status !== 0) throw new Error(`curl ${url}: ${out.stderr}`);
  const cut = out.stdout.lastIndexOf("\n");
  const [status, seconds] = out.stdout.slice(cut + 1).split(" ");
  const text = out.stdout.slice(0, cut);
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (or too large to care)
  }
  return { status: Number(status), ms: Number(seconds) * 1000, body, bytes: text.length };
}

/** curl writing the body to `out`: status, curl's time_total, bytes received. */
export function download(url, token, out, headers = {}) {
  const args = ["-s", "-S", "-o", out, "-w", "%{http_code} %{time_total} %{size_download}"];
  if (token) args.push("-H", `authorization: Bearer ${token}`);
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  return new Promise((resolve, reject) => {
    const child = spawn("curl", [...args, url]);
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`curl ${url} exited ${code}`));
      const [status, seconds, size] = stdout.trim().split(" ");
      resolve({ status: Number(status), ms: Number(seconds) * 1000, bytes: Number(size) });
    });
  });
}

/** Runs `fn` (which answers a curl result) `runs` times after `warmup`; statistics of curl's own timings. */
export async function timeCurl(fn, { runs = 20, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const res = await fn(i + warmup);
    if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    samples.push(res.ms);
  }
  return stats(samples);
}

export async function json(base, method, path, { body, token, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (path.includes("/auth/")) h["x-auth-token"] = APP_TOKEN;
  if (body !== undefined) h["content-type"] = "application/json";
  const res = await fetchOnce(base + path, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed };
}

let counter = 0;
/**
 * Registers, verifies and signs in a new user. `verify: false` skips the email verification, which reads the mailed
 * code through the bench Worker's /bench/verification-code: needed to start the production config (wrangler.toml),
 * whose users then only miss sharing.
 */
export async function newUser(base, prefix = "bench", { verify = true } = {}) {
  counter += 1;
  const email = `${prefix}-${counter}-${Date.now()}@example.com`;
  const password = "BigBob27!";
  const reg = await json(base, "POST", "/v1/auth/register", {
    body: {
      email,
      password,
      first_name: "Bench",
      last_name: "User",
      toc_accepted_at: "2024-01-01T00:00:00Z",
      privacy_policy_accepted_at: "2024-01-01T00:00:00Z",
    },
  });
  if (reg.status !== 201) throw new Error(`register: ${JSON.stringify(reg.body)}`);
  if (verify) {
    // Sharing needs a verified address: read the mailed code through the bench worker and prove it.
    const { code } = (await json(base, "GET", `/bench/verification-code?email=${encodeURIComponent(email)}`)).body;
    const verified = await json(base, "POST", "/v1/auth/verify_email", { body: { email, code } });
    if (verified.status !== 201) throw new Error(`verify_email: ${JSON.stringify(verified.body)}`);
  }
  const login = await json(base, "POST", "/v2/auth/login", { body: { email, password } });
  const me = await json(base, "GET", "/v1/user", { token: login.body.access });
  return { email, password, access: login.body.access, id: me.body.id };
}

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { n: sorted.length, median: q(0.5), p90: q(0.9), min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Times `fn` `runs` times after `warmup` runs; returns milliseconds per run. */
export async function time(fn, { runs = 20, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

export const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

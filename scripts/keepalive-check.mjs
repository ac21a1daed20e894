#!/usr/bin/env node
// `npm run test:keepalive`: the local stack under one keep-alive client. Starts `wrangler dev` as `npm run dev` does
// (NOWATCH_ENV=local, D1 migrations applied, but on fresh state in a temp dir and a free port), registers a user, then
// from ONE keep-alive client (Node's fetch: one undici pool that reuses its sockets) sends batches of 5, 10 and 20
// concurrent multipart uploads back to back, then batches of 20 after pauses of 3.5 to 4.7 s, then one more upload
// after 6 s idle. Every request must answer 2xx and every sample must then be stored, as sent.
// The pauses are the point: kj (workerd's HTTP stack) closes an idle pooled client connection after 5 s and an idle
// server connection after 5 s, so a connection between wrangler dev's proxy and the Worker that idled about 5 s is
// reused just as it closes. wrangler 4.86 answered 503 ("Your worker restarted mid-request") to requests caught in it;
// workers-sdk #14641, fixed by #15252.
// Exits 1 on any failure, always stops wrangler dev (its whole process group), and gives up after 3 minutes.
import { spawn, spawnSync } from "node:child_process";
import diagnostics from "node:diagnostics_channel";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const APP_TOKEN = Buffer.from("dev-secret+nowatch-dev").toString("base64");
const SIZES = [5, 10, 20];
/**
 * Seconds of pause before each further batch of 20. A pooled proxy→Worker connection then idles for the pause plus
 * up to the previous batch's duration (one user's uploads are serialized by the UserStore), so pauses from 3.5 to
 * 4.7 s sweep idle times across the 5 s mark. On wrangler 4.86, about one such batch in three lost requests.
 */
const PAUSES = Array.from({ length: 13 }, (_, i) => 3.5 + i / 10);
const IDLE_MS = 6_000;
const ROWS_PER_UPLOAD = 200; // 296 uploads × 200 distinct seconds fit in the one day that is read back
const OVERALL_MS = 180_000;
const DAY = 1_754_697_600; // 2025-08-09T00:00:00Z
const DAY_ISO = "2025-08-09";

// The summary shows that the one client reused its sockets: its TCP connections against its requests.
let connections = 0;
let requests = 0;
diagnostics.subscribe("undici:client:connected", () => connections++);
diagnostics.subscribe("undici:request:create", () => requests++);

let finishing = false;
const state = mkdtempSync(join(tmpdir(), "nowatch-keepalive-"));
let server = null;
let output = "";
const started = Date.now();
const log = (message) => process.stderr.write(`keepalive: ${message}\n`);

const deadline = setTimeout(() => {
  log(`gave up after ${OVERALL_MS / 1000} s`);
  finish(1, "timed out");
}, OVERALL_MS);

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => finish(130, `interrupted (${signal})`));
// Last resort: whatever ends this process also ends wrangler dev and workerd, and removes the state.
process.on("exit", () => {
  killGroup("SIGKILL");
  rmSync(state, { recursive: true, force: true });
});

try {
  const failures = await run();
  finish(failures.length === 0 ? 0 : 1, `${failures.length} failure(s), listed above`);
} catch (error) {
  log(`server log tail:\n${output.slice(-3000)}`);
  finish(1, `error: ${error.stack ?? error}`);
}

async function run() {
  const base = await startServer();
  const user = await newUser(base);
  const failures = [];
  const sent = new Map(); // second after midnight -> value
  let upload = 0;
  let succeeded = 0;
  const nextUpload = () => {
    const first = upload * ROWS_PER_UPLOAD;
    upload += 1;
    const rows = [];
    for (let i = 0; i < ROWS_PER_UPLOAD; i++) {
      const value = 50 + ((first + i) % 120);
      rows.push(`${DAY + first + i},${value},4`);
      sent.set(first + i, value);
    }
    return { id: upload, csv: `datetime,value,quality_indicator\n${rows.join("\n")}\n` };
  };
  const send = async ({ id, csv }) => {
    const form = new FormData();
    form.append("type", "HEART_RATE");
    form.append("file", new Blob([csv], { type: "text/csv" }), `upload-${id}.csv`);
    try {
      const res = await fetch(`${base}/v1/measurement/upload`, {
        method: "POST",
        headers: { authorization: `Bearer ${user.access}` },
        body: form,
      });
      const text = await res.text();
      if (res.status !== 201) return `upload ${id}: HTTP ${res.status} ${text.slice(0, 200)}`;
      const summary = JSON.parse(text);
      if (summary.samplesAccepted !== ROWS_PER_UPLOAD) return `upload ${id}: accepted ${summary.samplesAccepted}`;
      succeeded += 1;
      return null;
    } catch (error) {
      return `upload ${id}: ${error.message} (${error.cause?.code ?? error.cause?.message ?? "no cause"})`;
    }
  };

  const failedBatches = [];
  const batch = async (size, pause) => {
    const label = `batch of ${size}${pause > 0 ? ` after ${pause.toFixed(1)} s` : ""}`;
    const failed = (await Promise.all(Array.from({ length: size }, nextUpload).map(send))).filter(Boolean);
    failures.push(...failed);
    if (failed.length > 0) failedBatches.push(`${label}: ${failed.length} failed`);
    log(`${label}: ${size - failed.length} of ${size} succeeded${failed.map((f) => `\n  ${f}`).join("")}`);
  };
  for (const size of SIZES) await batch(size, 0);
  for (const pause of PAUSES) {
    await new Promise((resolve) => setTimeout(resolve, pause * 1000));
    await batch(20, pause);
  }
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idle = await send(nextUpload());
  if (idle) failures.push(idle);
  if (idle) failedBatches.push(`after ${IDLE_MS / 1000} s idle: failed`);
  log(`one upload after ${IDLE_MS / 1000} s idle: ${idle ?? "ok"}`);

  // Every sample sent by an upload that answered 201 (all of them, if the check passes) must be stored, as sent.
  const stored = await getJson(
    `${base}/v1/measurement?type=HEART_RATE&sort=ASC&start_day=${DAY_ISO}&end_day=${DAY_ISO}`,
    user.access,
  );
  const values = stored.length === 1 ? JSON.parse(stored[0].values) : {};
  const missing = [...sent].filter(([second, value]) => values[second]?.[0] !== value).length;
  const storedCount = Object.keys(values).length;
  if (storedCount !== sent.size || missing > 0) {
    failures.push(`stored ${storedCount} samples of ${sent.size} sent (${missing} missing or different)`);
    log(failures.at(-1));
  }
  console.log(
    `keepalive: ${failures.length === 0 ? "PASS" : "FAIL"}: ${succeeded}/${upload} uploads answered 201` +
      `${failedBatches.length > 0 ? ` (${failedBatches.join(", ")})` : ""}, ${storedCount}/${sent.size} samples stored, ${requests} requests over ${connections} connections, ` +
      `wrangler ${wranglerVersion()}, node ${process.version}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return failures;
}

async function startServer() {
  const env = { ...process.env, CI: "true" };
  const migrate = spawnSync(
    "npx",
    ["wrangler", "d1", "migrations", "apply", "nowatch", "--local", "--persist-to", state],
    {
      env,
      encoding: "utf8",
    },
  );
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  const port = await freePort();
  server = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      state,
      "--var",
      "NOWATCH_ENV:local",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  server.stdout.on("data", (d) => (output += d));
  server.stderr.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`wrangler dev exited with ${server.exitCode}`);
    if (Date.now() > until) throw new Error("wrangler dev did not answer /health within 90 s");
    // Health polls go through a fresh connection each, so the measured client starts with an empty pool.
    const ok = await fetch(`${base}/health`, { headers: { connection: "close" } }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  log(`wrangler dev answers on ${base}`);
  return base;
}

async function newUser(base) {
  const email = `keepalive-${Date.now()}@example.com`;
  const password = "BigBob27!";
  const auth = { "content-type": "application/json", "x-auth-token": APP_TOKEN };
  const register = await fetch(`${base}/v1/auth/register`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({
      email,
      password,
      first_name: "Keep",
      last_name: "Alive",
      toc_accepted_at: "2024-07-01T12:34:56Z",
      privacy_policy_accepted_at: "2024-07-01T12:34:56Z",
    }),
  });
  if (register.status !== 201) throw new Error(`register answered ${register.status}: ${await register.text()}`);
  const login = await fetch(`${base}/v2/auth/login`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 201) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  return { access: (await login.json()).access };
}

async function getJson(url, token) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function wranglerVersion() {
  try {
    return JSON.parse(readFileSync("node_modules/wrangler/package.json", "utf8")).version;
  } catch {
    return "?";
  }
}

// The group, not the child: npx, wrangler and workerd all live in it, and npx may exit before workerd does.
function killGroup(signal) {
  if (!server) return;
  try {
    process.kill(-server.pid, signal);
  } catch {
    // already gone
  }
}

async function finish(code, reason) {
  if (finishing) return;
  finishing = true;
  clearTimeout(deadline);
  if (code !== 0) log(`FAIL: ${reason}`);
  // wrangler dev gets 5 s to stop workerd cleanly, then the whole group is killed.
  killGroup("SIGTERM");
  if (server && server.exitCode === null && server.signalCode === null) {
    await Promise.race([
      new Promise((resolve) => server.once("exit", resolve)),
      new Promise((resolve) => setTimeout(resolve, 5_000)),
    ]);
  }
  killGroup("SIGKILL");
  rmSync(state, { recursive: true, force: true });
  process.exit(code);
}

#!/usr/bin/env node
// `npm run dev [-- --port N]`: applies the D1 migrations to local state, then serves the API with `wrangler dev`
// on local D1, R2, Durable Objects and Queues. NOWATCH_ENV=local turns on the documented development credentials,
// and the demo account gets 7 days of 1 Hz data for every measurement type and its workouts as activities the first
// time (through the upload and activity APIs; the synthetic person of scripts/demo-data.mjs), and one published
// firmware release (1.0.0 for hardware NW1) is made through the admin API.
import { spawn, spawnSync } from "node:child_process";
import { strToU8, zipSync } from "fflate";
import { demoActivities, demoCsv, demoData } from "./demo-data.mjs";

const DEMO = { email: "demo@nowatch.local", password: "Demo-Passw0rd!" };
const ADMIN = { email: "admin@nowatch.local", password: "Admin-Passw0rd!" };
/** The published demo firmware release (docs/firmware.md "Local development"). */
const DEMO_FIRMWARE = { version: "1.0.0", hardware: "NW1", bytes: 256 * 1024 };
const APP_TOKEN = Buffer.from("dev-secret+nowatch-dev").toString("base64");

/**
 * Quiet, offline local development: no usage metrics sent, and no fetch of the `Request.cf` sample from
 * workers.cloudflare.com (offline it printed `getaddrinfo ENOTFOUND` twice; requests get a placeholder `cf` either way).
 */
const QUIET = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "nowatch", "--local"], {
  stdio: "inherit",
  env: { ...process.env, ...QUIET, CI: "true" },
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const extra = process.argv.slice(2);
const portArg = extra.findIndex((arg) => arg === "--port" || arg.startsWith("--port="));
const port =
  portArg < 0 ? 8787 : Number(extra[portArg].includes("=") ? extra[portArg].split("=")[1] : extra[portArg + 1]);
const child = spawn(
  "npx",
  ["wrangler", "dev", "--var", "NOWATCH_ENV:local", ...(portArg < 0 ? ["--port", "8787"] : []), ...extra],
  {
    stdio: "inherit",
    env: { ...QUIET, ...process.env },
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));

seedDemo(`http://127.0.0.1:${port}`)
  .catch((error) => console.error(`[demo] not seeded: ${error.message}`))
  .then(() => seedFirmware(`http://127.0.0.1:${port}`))
  .catch((error) => console.error(`[demo] firmware not seeded: ${error.message}`));

/** One published release for hardware NW1, made through the admin API the first time. */
async function seedFirmware(base) {
  const login = await fetch(`${base}/v2/auth/login/admin`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-auth-token": APP_TOKEN },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`admin login answered ${login.status}`);
  const auth = { authorization: `Bearer ${(await login.json()).access}` };
  const listed = await fetch(`${base}/v1/admin/firmware?hardware_revision=${DEMO_FIRMWARE.hardware}`, {
    headers: auth,
  });
  if (!listed.ok) throw new Error(`firmware list answered ${listed.status}`);
  if ((await listed.json()).some((r) => r.version === DEMO_FIRMWARE.version)) return;
  // A deterministic binary: a readable header, then pseudo-random bytes.
  const binary = new Uint8Array(DEMO_FIRMWARE.bytes);
  binary.set(new TextEncoder().encode(`NOWATCH demo firmware ${DEMO_FIRMWARE.version}\n`));
  for (let i = 64, x = 1; i < binary.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    binary[i] = x >>> 24;
  }
  const form = new FormData();
  form.append("version", DEMO_FIRMWARE.version);
  form.append("hardware_revisions", DEMO_FIRMWARE.hardware);
  form.append("notes", "The local demo release");
  form.append("file", new Blob([binary]), "nowatch-demo.bin");
  const created = await fetch(`${base}/v1/admin/firmware`, { method: "POST", headers: auth, body: form });
  if (created.status !== 201) throw new Error(`firmware create answered ${created.status}: ${await created.text()}`);
  const { id } = await created.json();
  const published = await fetch(`${base}/v1/admin/firmware/${id}`, {
    method: "PATCH",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ status: "published" }),
  });
  if (!published.ok) throw new Error(`firmware publish answered ${published.status}`);
  console.log(`[demo] firmware ${DEMO_FIRMWARE.version} for ${DEMO_FIRMWARE.hardware} published`);
}

async function seedDemo(base) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const login = await fetch(`${base}/v2/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-auth-token": APP_TOKEN },
    body: JSON.stringify(DEMO),
  });
  if (!login.ok) throw new Error(`demo login answered ${login.status}`);
  const { access } = await login.json();
  const auth = { authorization: `Bearer ${access}` };
  // The measurement types, from the running API's own OpenAPI document (the upload form's `type` enum).
  const doc = await (await fetch(`${base}/openapi.json`)).json();
  const TYPES = doc.components.schemas.MeasurementUpload.properties.type.enum;
  const checkpoint = await (await fetch(`${base}/v1/measurement/checkpoint`, { headers: auth })).json();
  const missing = TYPES.filter((type) => !checkpoint.some((row) => row.type === type));
  if (missing.length === 0) return;
  const today = Math.floor(Date.now() / 1000 / 86_400) * 86_400;
  const firstDay = new Date((today - 7 * 86_400) * 1000).toISOString().slice(0, 10);
  const lastDay = new Date((today - 86_400) * 1000).toISOString().slice(0, 10);
  console.log("[demo] filling demo@nowatch.local with 7 days of 1 Hz data for every measurement type...");
  const data = demoData(firstDay, 7);
  for (const type of missing) {
    const form = new FormData();
    form.append("type", type);
    form.append("file", new Blob([zipSync({ [`${type}.csv`]: strToU8(demoCsv(data, type)) })]), `${type}.zip`);
    const encoded = new Response(form);
    const request = {
      method: "POST",
      headers: { ...auth, "content-type": encoded.headers.get("content-type") },
      body: await encoded.arrayBuffer(),
    };
    // Uploads are idempotent, so a failed attempt is simply resent: building a file takes seconds, in which the server
    // may close the pooled keep-alive socket, and wrangler answers 503 when it reloads the Worker after an edit.
    let res;
    for (let attempt = 1; ; attempt++) {
      res = await fetch(`${base}/v1/measurement/upload`, request).catch(() => null);
      if ((res && res.status !== 503) || attempt === 5) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    if (!res) throw new Error(`${type} upload failed`);
    if (res.status !== 201) throw new Error(`${type} upload answered ${res.status}: ${await res.text()}`);
  }
  // The week's runs as activities, leaving out any already stored (a seeding that stopped half-way is rerun).
  const listed = await fetch(`${base}/v1/activity?start_date=${firstDay}&end_date=${lastDay}`, { headers: auth });
  if (!listed.ok) throw new Error(`activity list answered ${listed.status}`);
  const stored = new Set((await listed.json()).map((a) => Date.parse(a.startDatetime)));
  const activities = demoActivities(data).filter((a) => !stored.has(Date.parse(a.start_datetime)));
  if (activities.length > 0) {
    const res = await fetch(`${base}/v1/activity`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify(activities),
    });
    if (res.status !== 201) throw new Error(`activities answered ${res.status}: ${await res.text()}`);
  }
  console.log("[demo] done: log in as demo@nowatch.local / Demo-Passw0rd!");
}

import { exports } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { gzipSync, strToU8, zipSync } from "fflate";
import { MeasurementDaySchema } from "../../../src/routes/measurement/get";
import { type CallResult, call, expectBody, nth } from "../../helpers";

export const DAY = 86_400;
/** 2025-08-09T00:00:00Z */
export const DAY0 = 1_754_697_600;
export const isoDay = (epoch: number) => new Date(epoch * 1000).toISOString().slice(0, 10);

export function csv(rows: [number, number, number?][], header = true): string {
  const lines = rows.map(([t, v, q]) => (q === undefined ? `${t},${v}` : `${t},${v},${q}`));
  return `${header ? "datetime,value,quality_indicator\n" : ""}${lines.join("\n")}\n`;
}

/** `count` samples at 1 Hz from `start`, heart-rate-like values. */
export function heartRate(start: number, count: number, base = 60): [number, number, number][] {
  return Array.from({ length: count }, (_, i) => [start + i, base + (i % 40), 4] as [number, number, number]);
}

export const zipped = (text: string, name = "data.csv") => zipSync({ [name]: strToU8(text) });
export const gzipped = (text: string) => gzipSync(strToU8(text));

export async function upload(
  token: string | undefined,
  type: string | undefined,
  file: Uint8Array | string | undefined,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  const form = new FormData();
  if (type !== undefined) form.append("type", type);
  if (file !== undefined) form.append("file", new File([typeof file === "string" ? file : file], "upload.zip"));
  const h = new Headers(headers);
  if (token) h.set("authorization", `Bearer ${token}`);
  const response = await exports.default.fetch(
    new Request("http://localhost/v1/measurement/upload", { method: "POST", headers: h, body: form }),
  );
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: response.status, body, headers: response.headers, text };
}

export const range = (type: string, start: number, end: number, sort = "ASC") =>
  `/v1/measurement?type=${type}&sort=${sort}&start_day=${isoDay(start)}&end_day=${isoDay(end)}`;

/** GET /v1/measurement for a path made by `range`: the day documents, through the route's schema. */
export async function getDays(token: string, path: string) {
  return expectBody(await call("GET", path, { token }), 200, z.array(MeasurementDaySchema));
}

/** The samples of the `index`-th day answered for `path`, parsed: seconds after midnight to `[value, quality]`. */
export async function daySamples(token: string, path: string, index = 0): Promise<Record<string, number[]>> {
  return JSON.parse(nth(await getDays(token, path), index).values);
}

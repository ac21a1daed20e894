import { concatBytes } from "../lib/encoding";
import { ApiError } from "../lib/errors";
import { EXPORT_REQUESTS } from "./otlp-schema";
import { decodeMessage, ProtobufError } from "./protobuf";
import { SIGNAL_SHAPE, type Signal } from "./records";
import { ShapeError } from "./values";

/**
 * Reading an OTLP/HTTP body (docs/telemetry.md "Requests"): `application/json` or `application/x-protobuf`,
 * optionally `Content-Encoding: gzip`, at most `maxBytes` both as sent and after decompression. The body is read as a
 * stream and inflated chunk by chunk, so a gzip bomb stops at the limit instead of filling memory.
 */

export type Encoding = "json" | "protobuf";

export function encodingOf(contentType: string | undefined): Encoding {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  throw new ApiError(
    "UNSUPPORTED_MEDIA_TYPE",
    "OTLP/HTTP bodies are application/json or application/x-protobuf (the Content-Type header)",
  );
}

function tooLarge(maxBytes: number, after: string): ApiError {
  return new ApiError("PAYLOAD_TOO_LARGE", `The request body is larger than ${maxBytes} bytes${after}`);
}

async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number, after: string): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes, after);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks, total);
}

/** The body's bytes, decompressed, within `maxBytes`. */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Content-Encoding must be gzip or absent");
  }
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes, "");
  if (!request.body) return new Uint8Array(0);
  if (encoding === "identity") return readAll(request.body, maxBytes, "");
  const inflated = request.body.pipeThrough(new DecompressionStream("gzip"));
  try {
    return await readAll(inflated, maxBytes, " after decompression");
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError("BAD_REQUEST", "The body is not valid gzip");
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The body as the OTLP/JSON shape of the signal's export request. */
export function parseBody(signal: Signal, encoding: Encoding, bytes: Uint8Array): unknown {
  if (encoding === "protobuf") {
    try {
      const request = decodeMessage(bytes, EXPORT_REQUESTS[signal]);
      request[SIGNAL_SHAPE[signal].list] ??= []; // protobuf has no "absent list": an empty body is an empty request
      return request;
    } catch (error) {
      if (error instanceof ProtobufError) {
        throw new ShapeError(`not a protobuf ${signal} export request: ${error.message}`);
      }
      throw error;
    }
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ShapeError("the JSON body is not UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("MALFORMED_JSON", "Malformed JSON in request body");
  }
}

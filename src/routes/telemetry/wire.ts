import type { ApiError } from "../../lib/errors";
import { encodeMessage, type WireValue } from "../../telemetry/protobuf";

/**
 * The protobuf answers of the OTLP/HTTP operations: an Export*ServiceResponse (the three share one layout: field 1,
 * partial_success = { 1: rejected count, 2: error_message }) and, for refusals, a google.rpc.Status.
 */

const utf8 = new TextEncoder();

/** An empty message when everything was accepted as sent. */
export function encodeSuccess(partial: { rejected: number; message: string } | null): Uint8Array {
  if (!partial) return new Uint8Array(0);
  const fields: WireValue[] = [];
  if (partial.rejected > 0) fields.push({ field: 1, varint: partial.rejected });
  fields.push({ field: 2, bytes: utf8.encode(partial.message) });
  return encodeMessage([{ field: 1, bytes: encodeMessage(fields) }]);
}

/** gRPC status codes (google.rpc.Code) for the HTTP statuses the operations refuse with. */
const GRPC_CODE: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  429: 8,
  503: 14, // UNAVAILABLE
};

export function encodeStatus(error: ApiError): Uint8Array {
  return encodeMessage([
    { field: 1, varint: GRPC_CODE[error.status] ?? 2 /* UNKNOWN */ },
    { field: 2, bytes: utf8.encode(error.messages.join("; ")) },
  ]);
}

import { fromBase64Url, toBase64Url, utf8 } from "../lib/encoding";

/**
 * The change feed's cursor (docs/changes.md "Cursors"): opaque to clients, and to us a position in one user's
 * change sequence, the time it was issued, and a tag of the feed it belongs to. It grants nothing: every read is
 * authorized afresh, and a cursor only says where in the caller's allowed feed to go on from.
 */

export interface FeedPosition {
  /** The last sequence number the client has seen (0: nothing yet). */
  seq: number;
  /** Unix seconds when the cursor was issued. */
  issuedAt: number;
}

const VERSION = "1";
const MAX_CURSOR_LENGTH = 200;

/** A short tag of the feed's owner, so that a cursor from another user's feed is refused instead of misread. */
function feedTag(ownerId: string): string {
  // FNV-1a, 32 bits: a checksum against mix-ups, not a secret (the cursor is not a credential).
  let hash = 0x811c9dc5;
  for (const byte of utf8(ownerId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

export function encodeCursor(ownerId: string, position: FeedPosition): string {
  return toBase64Url(utf8(`${VERSION}.${position.seq}.${position.issuedAt}.${feedTag(ownerId)}`));
}

export type CursorReading = { ok: true; position: FeedPosition } | { ok: false; problem: string };

const SHAPE = /^1\.(0|[1-9][0-9]{0,15})\.([1-9][0-9]{0,11})\.([0-9a-f]{8})$/;

/** Reads a cursor the API issued for this owner's feed; anything else is a problem to answer with 400. */
export function decodeCursor(ownerId: string, cursor: string): CursorReading {
  const invalid: CursorReading = {
    ok: false,
    problem: "cursor: not a cursor this API issued; omit it to start from the beginning",
  };
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return invalid;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(fromBase64Url(cursor));
  } catch {
    return invalid;
  }
  const match = SHAPE.exec(text);
  if (!match) return invalid;
  const [, seq, issuedAt, tag] = match as unknown as [string, string, string, string];
  if (tag !== feedTag(ownerId)) {
    return { ok: false, problem: "cursor: belongs to another user's feed; omit it to start from the beginning" };
  }
  const position = { seq: Number(seq), issuedAt: Number(issuedAt) };
  if (!Number.isSafeInteger(position.seq)) return invalid;
  return { ok: true, position };
}

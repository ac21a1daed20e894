export type ArchiveErrorCode = "EMPTY_ARCHIVE" | "MULTIPLE_FILES" | "UNSUPPORTED" | "CORRUPT" | "TOO_LARGE";

/** Why an upload could not be unpacked; the message is safe to show the client (the route answers 400). */
export class ArchiveError extends Error {
  override readonly name = "ArchiveError";
  readonly code: ArchiveErrorCode;

  constructor(code: ArchiveErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

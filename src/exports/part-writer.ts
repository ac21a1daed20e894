/**
 * An R2 multipart upload fed with bytes of any size, cut into fixed-size parts: R2 wants every part but the last to
 * be at least 5 MiB and all of them the same size. Memory: one part buffer, whatever the object's size.
 */

const MiB = 1024 * 1024;
export const MIN_PART_BYTES = 5 * MiB;
export const DEFAULT_PART_BYTES = 8 * MiB;

export interface PartWriterOptions {
  /** Bytes per part (all but the last); default 8 MiB, at least 5 MiB. */
  partBytes?: number;
  httpMetadata?: R2HTTPMetadata;
  customMetadata?: Record<string, string>;
}

export class R2PartWriter {
  readonly #upload: R2MultipartUpload;
  readonly #part: Uint8Array;
  readonly #parts: R2UploadedPart[] = [];
  #filled = 0;
  #bytes = 0;
  #done = false;

  private constructor(upload: R2MultipartUpload, partBytes: number) {
    this.#upload = upload;
    this.#part = new Uint8Array(partBytes);
  }

  static async start(bucket: R2Bucket, key: string, options: PartWriterOptions = {}): Promise<R2PartWriter> {
    const partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
    if (!(partBytes >= MIN_PART_BYTES)) throw new RangeError(`parts must be at least ${MIN_PART_BYTES} bytes`);
    const upload = await bucket.createMultipartUpload(key, {
      httpMetadata: options.httpMetadata,
      customMetadata: options.customMetadata,
    });
    return new R2PartWriter(upload, partBytes);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#bytes;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#done) throw new Error("the upload is finished");
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, this.#part.length - this.#filled);
      this.#part.set(bytes.subarray(at, at + n), this.#filled);
      this.#filled += n;
      at += n;
      if (this.#filled === this.#part.length) await this.#send();
    }
    this.#bytes += bytes.length;
  }

  /** Sends the last part (possibly short, possibly the only one) and completes the object. */
  async finish(): Promise<R2Object> {
    if (this.#done) throw new Error("the upload is finished");
    if (this.#filled > 0 || this.#parts.length === 0) await this.#send();
    this.#done = true;
    return this.#upload.complete(this.#parts);
  }

  /** Abandons the upload (its parts are discarded); never throws, so it is safe in a failure path. */
  async abort(): Promise<void> {
    this.#done = true;
    try {
      await this.#upload.abort();
    } catch {
      // Already completed, aborted or expired: nothing is left to clean up.
    }
  }

  async #send(): Promise<void> {
    // R2 reads the body after the call returns: hand it a copy, since the buffer is refilled at once.
    const body = this.#part.slice(0, this.#filled);
    this.#filled = 0;
    this.#parts.push(await this.#upload.uploadPart(this.#parts.length + 1, body));
  }
}

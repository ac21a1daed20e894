/**
 * An archive generator as a response body: pulled piece by piece as the client reads (back-pressure), closed when
 * the client goes away. A failure after the first byte cannot change the status any more: the stream errors, the
 * client sees a truncated download, and the ZIP, lacking its central directory, does not open (docs/exports.md).
 */
export function generatorStream(pieces: AsyncGenerator<Uint8Array>, onError: (error: unknown) => void) {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await pieces.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        onError(error);
        controller.error(error);
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}

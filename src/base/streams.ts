/**
 * Reading a ReadableStream in every browser. WebKit (Safari, WebKitGTK 2.50) has no
 * `ReadableStream.prototype[Symbol.asyncIterator]`, so `for await` over a stream itself fails there
 * with "... is not a function"; `chunksOf` goes through the stream's reader, which every browser has.
 * (To read a whole byte stream, `new Response(stream)` works everywhere too.)
 */

/**
 * The chunks of `stream`, for `for await`. Leaving the loop early (break, return, throw) cancels the
 * stream, as the built-in iterator does; a stream that errors throws its error from the loop.
 */
export async function* chunksOf<T>(stream: ReadableStream<T>): AsyncGenerator<T, void, undefined> {
  const reader = stream.getReader();
  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        return;
      }
      yield value;
    }
  } catch (err) {
    ended = true;
    throw err;
  } finally {
    // Not awaited: the caller moves on at once, whatever the source does about the cancel.
    if (!ended) void reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

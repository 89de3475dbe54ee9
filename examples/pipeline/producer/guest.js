// producer: the head of the pipeline. `open` returns a stream<u8> at once and then writes every
// line into it in one burst; each write waits until the reader has taken the bytes (the stream
// holds no buffer), so a slow reader down the pipeline slows this writer down: backpressure.
const LINES = 12;

// QuickJS has no TextEncoder; the lines are ASCII.
function ascii(text) {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** All the lines as one chunk: the runtime writes it as one write that the reader drains piece by piece. */
async function* lines() {
  let text = "";
  for (let i = 1; i <= LINES; i++) text += `line ${String(i).padStart(2, "0")} of ${LINES}: written in one burst, read slowly\n`;
  yield ascii(text);
}

export const source = {
  // Returning an async iterable lowers it to the stream<u8> result; the bytes flow after the return.
  async open() {
    return lines();
  },
};

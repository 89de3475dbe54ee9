/**
 * A response body as it streams in: decoded as UTF-8 chunk by chunk (a character split across two
 * chunks waits for its second half), kept up to `limit` bytes so a large body cannot take the page.
 */
export class StreamedBody {
  #decoder = new TextDecoder("utf-8", { fatal: false });
  #text = "";
  #bytes = 0;

  constructor(private readonly limit = 256 * 1024) {}

  append(chunk: Uint8Array): void {
    const room = Math.max(0, this.limit - this.#bytes);
    this.#bytes += chunk.length;
    if (room > 0) this.#text += this.#decoder.decode(chunk.subarray(0, room), { stream: true });
  }

  /** The end of the body: a character left half-way shows as U+FFFD. */
  end(): void {
    if (this.#bytes <= this.limit) this.#text += this.#decoder.decode();
  }

  get text(): string {
    return this.#text;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes received past the limit (not shown). */
  get hidden(): number {
    return Math.max(0, this.#bytes - this.limit);
  }
}

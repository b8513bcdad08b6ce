/**
 * How a call reads a response body within its limit: the decision both lanes take (the
 * platform's `HttpClient`, and this package's own transports called directly), the
 * chunk-by-chunk read of the direct lane, and a web body discarded unread.
 */
/**
 * How to read a body of at most `limit` bytes (as the transport hands them over, i.e.
 * decompressed):
 *
 * - `TooLarge`: an announced `Content-Length` over the limit, refused before any read.
 * - `Empty`: an announced length of 0.
 * - `Whole`: an uncompressed body with a `Content-Length` within the limit. HTTP framing ends
 *   it after that many bytes, so it cannot grow past them; reading it in one piece costs a
 *   fraction of a chunked read. The common case.
 * - `Chunks`: any other body (chunked, or compressed: a transport that decompresses makes the
 *   announced length meaningless), read chunk by chunk and stopped at once past the limit.
 */
export type Plan = "TooLarge" | "Empty" | "Whole" | "Chunks"

/**
 * The plan for a body whose response announced `contentLength` and `contentEncoding` (the
 * headers' values, `undefined` when absent), read within `limit` bytes.
 */
export const plan = (
  contentLength: string | undefined,
  contentEncoding: string | undefined,
  limit: number
): Plan => {
  if (contentLength === undefined || !/^\d{1,15}$/.test(contentLength)) return "Chunks"
  const announced = Number(contentLength)
  if (announced > limit) return "TooLarge"
  if (contentEncoding !== undefined && contentEncoding !== "identity") return "Chunks"
  return announced === 0 ? "Empty" : "Whole"
}

/**
 * A listener that does nothing, for the failures of a body nobody reads (the connection reset):
 * without a listener, Node would turn one into an uncaught exception.
 */
export const ignore = (): void => {}

/** Cancels a web response's body unread, releasing its connection; a failed cancel changes nothing. */
export const discardWeb = (response: Response): void => {
  response.body?.cancel().then(ignore, ignore)
}

/** What a limited read returns when the body went past its limit. */
export const tooLarge: unique symbol = Symbol.for("@lago-effect/client/body/tooLarge")

const decoder = new TextDecoder()

/** The chunks read so far, as one array (no copy for a body of one chunk). */
const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/** UTF-8 text of the chunks read. */
export const decodeChunks = (chunks: ReadonlyArray<Uint8Array>, size: number): string =>
  decoder.decode(concat(chunks, size))

/**
 * Reads `body` chunk by chunk as UTF-8 text, or stops past `limit` bytes (leaving the loop
 * ends the iteration, which cancels the body and releases the connection). Rejects as the
 * body's iteration does when the transport fails.
 */
export const readChunks = async (
  body: AsyncIterable<Uint8Array>,
  limit: number
): Promise<string | typeof tooLarge> => {
  const chunks: Array<Uint8Array> = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > limit) return tooLarge
    chunks.push(chunk)
  }
  return decodeChunks(chunks, size)
}

/**
 * The in-process half of `pnpm bench:bodies`: no server and no HTTP client. Each page is a
 * Node `Readable` fed one 16 KiB chunk per macrotask (as a socket would) and read by listeners
 * on the stream into one string (as undici's `body.text()` does), the ways below; after every
 * fifth page a young-generation collection is forced and the old generation's growth across it
 * measured, which is what that collection promoted: about one page's text per page when texts
 * outlive their use, about nothing when they do not. Deterministic: no collection happens at a
 * time the machine chooses but the forced ones counted.
 */
import { Effect } from "effect"
import { Readable } from "node:stream"
import { getHeapSpaceStatistics } from "node:v8"
import { pageJson } from "./data.js"

const page = Buffer.from(pageJson(1, 100, 20_000))
const chunkSize = 16 * 1024
const pages = 60
const every = 5
/** Forced collections left out of the figure: the first ones also promote what loading left. */
const warmUp = 2

/** A response body arriving one chunk per macrotask. */
const respond = (): Promise<Readable> =>
  new Promise((resolve) =>
    setImmediate(() => {
      const body = new Readable({ read() {} })
      let offset = 0
      const push = () => {
        if (offset >= page.length) {
          body.push(null)
          return
        }
        body.push(page.subarray(offset, offset + chunkSize))
        offset += chunkSize
        setImmediate(push)
      }
      setImmediate(push)
      resolve(body)
    })
  )

/** The body's text, read by listeners on the stream. */
const text = (body: Readable): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    body.on("data", (chunk: Buffer) => chunks.push(chunk))
    body.on("error", reject)
    body.on("end", () => resolve(Buffer.concat(chunks).toString()))
  })

/** The length of the body's text: the text itself is the value of a promise, as with `body.text()`. */
const textLength = (body: Readable): Promise<number> => text(body).then((value) => value.length)

/** Holds a reference, as a closure over a response would. */
interface Held {
  value: unknown
}

/** Awaits `pending` in an `Effect.async` whose register function also references `held`. */
const awaitHolding = (pending: Promise<number>, held: Held): Effect.Effect<number> =>
  Effect.async<number>((resume) => {
    void pending.then((n) => resume(Effect.succeed(n)))
    if (held.value === null) resume(Effect.succeed(0))
  })

/** A continuation over the body, built in its own scope so that no other closure shares it. */
const after = (body: Readable) => (n: number): number => body.destroyed ? 0 : n

/** One page read each way; each resolves once the page is read. */
export const variants: Record<string, (body: Readable) => Promise<number>> = {
  "promises; a closure holds the stream while it is read": async (body) => {
    const held: Held = { value: body }
    const n = await textLength(body)
    return held.value === null ? 0 : n
  },
  "Effect.async; its register references another object": (body) =>
    Effect.runPromise(awaitHolding(textLength(body), { value: {} })),
  "Effect.async; its register references the stream": (body) =>
    Effect.runPromise(awaitHolding(textLength(body), { value: body })),
  "Effect.async; the same, the reference dropped when the read ends": (body) => {
    const held: Held = { value: body }
    const pending = textLength(body).then((n) => {
      held.value = undefined
      return n
    })
    return Effect.runPromise(awaitHolding(pending, held))
  },
  "Effect.tryPromise(() => read the stream)": (body) => Effect.runPromise(Effect.tryPromise(() => textLength(body))),
  "Effect.tryPromise(() => the stream's text), its length taken in Effect": (body) =>
    Effect.runPromise(Effect.map(Effect.tryPromise(() => text(body)), (value) => value.length)),
  "the same through Effect.cached (as @effect/platform reads a body's text)": (body) =>
    Effect.runPromise(
      Effect.flatMap(Effect.cached(Effect.tryPromise(() => text(body))), (read) =>
        Effect.map(read, (value) => value.length))
    ),
  "Effect.promise, then a continuation that references the stream": (body) => {
    const pending = textLength(body)
    return Effect.runPromise(Effect.map(Effect.promise(() => pending), after(body)))
  },
  "the same inside Effect.uninterruptible": (body) => {
    const pending = textLength(body)
    return Effect.runPromise(Effect.uninterruptible(Effect.map(Effect.promise(() => pending), after(body))))
  }
}

const oldGenerationBytes = () =>
  getHeapSpaceStatistics()
    .filter((space) => space.space_name === "old_space" || space.space_name === "large_object_space")
    .reduce((sum, space) => sum + space.space_used_size, 0)

/**
 * Reads the pages one way (in a process started with `--expose-gc`) and returns the bytes the
 * forced young-generation collections promoted, per page, warm-up left out.
 */
export const measure = async (variant: string): Promise<number> => {
  const read = variants[variant]
  const gc: unknown = Reflect.get(globalThis, "gc")
  if (read === undefined || typeof gc !== "function") return Number.NaN
  let promoted = 0
  let counted = 0
  for (let n = 1; n <= pages; n++) {
    await read(await respond())
    // Let the stream's own end-of-read callbacks run: only what outlives them is counted.
    await new Promise((resolve) => setImmediate(resolve))
    if (n % every === 0) {
      const before = oldGenerationBytes()
      gc({ type: "minor" })
      if (n / every > warmUp) {
        promoted += oldGenerationBytes() - before
        counted += every
      }
    }
  }
  return promoted / counted
}

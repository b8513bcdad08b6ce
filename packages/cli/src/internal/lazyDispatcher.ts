/**
 * An undici dispatcher made on the first request: the binary's commands that never call Lago
 * (help, version, completions, a usage error, the fake) neither load undici (about 10 MiB of
 * resident memory and a tenth of a second of the binary's start) nor open an agent.
 */
import type { LagoHttpClient } from "@lago-effect/client"

/** What `load` makes: a dispatcher that can be closed (an undici `Agent`). */
export interface Closable extends LagoHttpClient.UndiciDispatcher {
  destroy(): Promise<void>
}

/** A dispatcher made on the first request, closed with `close` if it was made. */
export interface LazyDispatcher extends LagoHttpClient.UndiciDispatcher {
  readonly close: () => Promise<void>
}

/**
 * A dispatcher that calls `load` on its first request, once, and sends every request through
 * what it made. A `load` that fails fails every request with its error.
 */
export const make = (load: () => Promise<Closable>): LazyDispatcher => {
  let made: Promise<Closable> | undefined
  return {
    request: (options) => (made ??= load()).then((dispatcher) => dispatcher.request(options)),
    close: () => made === undefined ? Promise.resolve() : made.then((dispatcher) => dispatcher.destroy(), () => {})
  }
}

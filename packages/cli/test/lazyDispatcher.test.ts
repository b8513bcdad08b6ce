import { describe, expect, it } from "@effect/vitest"
import type { LagoHttpClient } from "@lago-effect/client"
import { Effect } from "effect"
import * as LazyDispatcher from "../src/internal/lazyDispatcher.js"

/** A stand-in for undici's agent: counts what was made, asked and closed. */
const counting = () => {
  const seen = { loads: 0, requests: new Array<string>(), destroyed: 0 }
  const load = () => {
    seen.loads++
    return Promise.resolve<LazyDispatcher.Closable>({
      request: (options) => {
        seen.requests.push(options.path)
        return Promise.reject(new Error("not a real agent"))
      },
      destroy: () => {
        seen.destroyed++
        return Promise.resolve()
      }
    })
  }
  return { seen, load }
}

const ask = (dispatcher: LagoHttpClient.UndiciDispatcher, path: string) =>
  Effect.promise(() =>
    dispatcher.request({ path, method: "GET" }).then(() => "answered", (error: Error) => error.message)
  )

describe("LazyDispatcher", () => {
  it.effect("makes nothing until the first request, and nothing to close then", () =>
    Effect.gen(function*() {
      const { load, seen } = counting()
      const dispatcher = LazyDispatcher.make(load)
      yield* Effect.promise(dispatcher.close)
      expect(seen).toEqual({ loads: 0, requests: [], destroyed: 0 })
    }))

  it.effect("makes one dispatcher for concurrent requests, sends each through it, and closes it", () =>
    Effect.gen(function*() {
      const { load, seen } = counting()
      const dispatcher = LazyDispatcher.make(load)
      const answers = yield* Effect.all([ask(dispatcher, "/a"), ask(dispatcher, "/b"), ask(dispatcher, "/c")], {
        concurrency: "unbounded"
      })
      expect(answers).toEqual(["not a real agent", "not a real agent", "not a real agent"])
      expect(seen.loads).toBe(1)
      expect([...seen.requests].sort()).toEqual(["/a", "/b", "/c"])
      yield* Effect.promise(dispatcher.close)
      expect(seen.destroyed).toBe(1)
    }))

  it.effect("a load that fails fails every request with its error, and leaves nothing to close", () =>
    Effect.gen(function*() {
      const dispatcher = LazyDispatcher.make(() => Promise.reject(new Error("no undici")))
      expect(yield* ask(dispatcher, "/a")).toBe("no undici")
      expect(yield* ask(dispatcher, "/b")).toBe("no undici")
      yield* Effect.promise(dispatcher.close)
    }))
})

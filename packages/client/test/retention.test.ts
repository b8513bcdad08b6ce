/**
 * What the client leaves behind once it has handed a page over. A fiber keeps its exit and a
 * span keeps the exit it ended with, and the runtime can keep either alive long after the call
 * (until the next full garbage collection): if those exits held pages, a stream would carry
 * its already-consumed pages through every young-generation collection. So the fibers the
 * client forks (page fetches, attempts) and the spans it ends must not hold what the server
 * sent: the value travels through a hand-off instead. Runs on the live clock, which is where
 * an attempt runs in its own fiber; the fake answers at once.
 */
import { describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { Effect, Exit, Stream } from "effect"
import { FiberRecorder, liveLayer, makeRecordingTracer } from "./helpers.js"

const isIterable = (value: object): value is Iterable<unknown> => Symbol.iterator in value

/** Whether `value` is, or holds within a few levels, a customer (anything with an `external_id`). */
const holdsCustomer = (value: unknown, depth = 0): boolean => {
  if (typeof value !== "object" || value === null || depth > 4) return false
  if ("external_id" in value) return true
  const children = isIterable(value) ? Array.from(value) : Object.values(value)
  for (const child of children) if (holdsCustomer(child, depth + 1)) return true
  return false
}

const successValue = (exit: Exit.Exit<unknown, unknown> | undefined): unknown =>
  exit !== undefined && Exit.isSuccess(exit) ? exit.value : undefined

describe("what the client keeps of a page", () => {
  it.live("no fiber it forks and no span it ends holds a customer once the value is handed over", () => {
    const tracer = makeRecordingTracer()
    return Effect.gen(function*() {
      const lago = yield* LagoClient.LagoClient
      const recorder = new FiberRecorder()
      const streamed = yield* Effect.supervised(
        // Counted, not collected: a collected stream is the caller's own value to keep.
        Stream.runCount(lago.customers.stream({ per_page: 100, concurrency: 3, prefetch: 2 })),
        recorder
      )
      const found = yield* Effect.supervised(lago.customers.find("customer_1"), recorder)
      const page = yield* Effect.supervised(lago.customers.findAll({ per_page: 50 }), recorder)
      // The values did arrive, whole.
      expect(streamed).toBe(350)
      expect(found.external_id).toBe("customer_1")
      expect(page.customers).toHaveLength(50)
      // Forked: one fiber per page fetched ahead and per attempt; their exits carry nothing.
      expect(recorder.started).toBeGreaterThanOrEqual(6)
      expect(recorder.exits.filter((exit) => holdsCustomer(successValue(exit)))).toEqual([])
      const calls = tracer.spans.filter((span) => span.name.startsWith("Lago."))
      expect(calls).toHaveLength(6)
      expect(calls.every((span) => span.exit !== undefined && Exit.isSuccess(span.exit))).toBe(true)
      expect(calls.filter((span) => holdsCustomer(successValue(span.exit)))).toEqual([])
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 350 } })), Effect.provide(tracer.layer))
  })
})

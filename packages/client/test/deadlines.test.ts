/**
 * The attempts' deadlines under the live clock (one timer per duration for all attempts), on
 * Vitest's fake timers and monotonic clock: each runs once, at its time, unless cancelled, in
 * any interleaving of durations, cancellations and time; and a timer that no pending deadline
 * needs keeps the process alive no longer.
 */
import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { vi } from "vitest"
import * as Deadlines from "../src/internal/deadlines.js"

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] })
})

afterEach(() => {
  // Past every deadline a test left: the module's queues start empty in the next.
  vi.advanceTimersByTime(1_000)
  vi.useRealTimers()
})

/** What the test did, one step at a time. */
type Step =
  | { readonly _tag: "Schedule"; readonly millis: number; readonly chained: boolean }
  | { readonly _tag: "Cancel"; readonly index: number }
  | { readonly _tag: "Advance"; readonly millis: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    _tag: fc.constant("Schedule" as const),
    millis: fc.constantFrom(3, 7, 20),
    chained: fc.boolean()
  }),
  fc.record({ _tag: fc.constant("Cancel" as const), index: fc.nat(40) }),
  fc.record({ _tag: fc.constant("Advance" as const), millis: fc.integer({ min: 0, max: 25 }) })
)

interface Tracked {
  readonly millis: number
  readonly deadline: number
  readonly entry: Deadlines.Deadline
  firedAt: number | undefined
  cancelledAt: number | undefined
}

describe("deadlines", () => {
  it.prop(
    "each deadline runs once, within a millisecond of its time, unless cancelled before; in order within a duration",
    [fc.array(step, { maxLength: 60 })],
    ([steps]) => {
      const tracked: Array<Tracked> = []
      const order: Array<Tracked> = []
      const schedule = (millis: number, chained: boolean) => {
        const item: Tracked = {
          millis,
          deadline: performance.now() + millis,
          entry: Deadlines.schedule(millis, () => {
            item.firedAt = performance.now()
            order.push(item)
            // A deadline scheduled while the timer runs the due ones (a retry's next attempt).
            if (chained) schedule(millis, false)
          }),
          firedAt: undefined,
          cancelledAt: undefined
        }
        tracked.push(item)
      }
      for (const next of steps) {
        if (next._tag === "Schedule") schedule(next.millis, next.chained)
        else if (next._tag === "Advance") vi.advanceTimersByTime(next.millis)
        else if (tracked.length > 0) {
          const item = tracked[next.index % tracked.length]
          Deadlines.cancel(item.entry)
          if (item.firedAt === undefined && item.cancelledAt === undefined) item.cancelledAt = performance.now()
        }
      }
      vi.advanceTimersByTime(100)
      for (const item of tracked) {
        if (item.cancelledAt !== undefined) {
          expect(item.firedAt).toBeUndefined()
        } else {
          expect(item.firedAt).toBeDefined()
          expect(item.firedAt! - item.deadline).toBeGreaterThanOrEqual(-1)
          expect(item.firedAt! - item.deadline).toBeLessThanOrEqual(1)
        }
      }
      // Within a duration, deadlines run in the order they were due.
      for (const millis of [3, 7, 20]) {
        const due = order.filter((item) => item.millis === millis).map((item) => item.deadline)
        expect(due).toEqual([...due].sort((a, b) => a - b))
      }
      // Nothing pending: no timer left that would keep a process alive.
      expect(vi.getTimerCount()).toBe(0)
    },
    { fastCheck: { numRuns: 500 } }
  )

  it("a deadline whose callback throws does not stop the ones after it", () => {
    const ran: Array<string> = []
    Deadlines.schedule(5, () => {
      ran.push("first")
      throw new Error("boom")
    })
    Deadlines.schedule(5, () => ran.push("second"))
    // The error is the timer's, as it would have been with a timer per deadline.
    expect(() => vi.advanceTimersByTime(5)).toThrow("boom")
    expect(ran).toEqual(["first"])
    // The timer was armed again for the deadline the error left behind.
    vi.advanceTimersByTime(1)
    expect(ran).toEqual(["first", "second"])
  })

  // That the idle timer is unreferenced is seen on real timers (the client's time-out tests).
  it("one timer serves the deadlines of a duration, left armed while idle until its time", () => {
    const first = Deadlines.schedule(50, () => {})
    const second = Deadlines.schedule(50, () => {})
    expect(vi.getTimerCount()).toBe(1)
    Deadlines.cancel(first)
    Deadlines.cancel(second)
    // Still armed: clearing and setting a timer per attempt is the cost this module avoids.
    expect(vi.getTimerCount()).toBe(1)
    const third = Deadlines.schedule(50, () => {})
    expect(vi.getTimerCount()).toBe(1)
    Deadlines.cancel(third)
    vi.advanceTimersByTime(50)
    expect(vi.getTimerCount()).toBe(0)
  })
})

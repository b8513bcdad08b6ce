/**
 * A time-out for the attempts of a call, cheaper than `Effect.timeoutFail` under the live clock.
 *
 * `Effect.timeoutFail` races the effect against a sleep: two forked fibers and the race's
 * bookkeeping on every attempt, which was the largest per-call cost of the client. Under the
 * live clock the same semantics need one forked fiber and a deadline (`deadlines.ts`: one timer
 * keeps those of every attempt of the same duration): the effect runs in a
 * child fiber, the parent waits for whichever comes first, its exit or the timer. On time-out
 * the child is interrupted and awaited (the request is aborted before anything else starts),
 * then the call fails; a parent interrupted while waiting interrupts and awaits the child.
 * Unlike `Effect.timeoutFail`, the child's fiber-local values are not merged back into the
 * parent: an attempt sets none that outlive it.
 *
 * Under any other clock (`TestClock`, a user's own) time is an effect: the attempt falls back
 * to `Effect.timeoutFail`, which sleeps on that clock.
 */
import type { Clock } from "effect"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Deadlines from "./deadlines.js"
import * as Handoff from "./handoff.js"

/** Beyond this a JavaScript timer fires at once: such a time-out is treated as no time-out. */
const maxTimerMillis = 2 ** 31 - 1

/** Whether `duration` is a time-out a JavaScript timer can keep (longer ones are none). */
export const hasTimer = (duration: Duration.Duration): boolean => Duration.toMillis(duration) <= maxTimerMillis

let liveClock: Clock.Clock | undefined

/** The clock every fiber has unless one is provided: Effect's live clock. */
const defaultClock = (): Clock.Clock => liveClock ??= Effect.runSync(Effect.clock)

/** Whether `clock` is Effect's live clock, whose time is the JavaScript timers'. */
export const isLiveClock = (clock: Clock.Clock): boolean => clock === defaultClock()

/**
 * Fails `self` with `onTimeout()` when it has not completed within `duration`, interrupting it
 * and waiting for its interruption first, as `Effect.timeoutFail` does.
 */
export const timeoutFail = <A, E, R, E2>(
  self: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> => {
  if (!hasTimer(duration)) return self
  const millis = Duration.toMillis(duration)
  return Effect.clockWith((clock) =>
    isLiveClock(clock)
      ? onLiveClock(self, millis, onTimeout)
      : Effect.timeoutFail(self, { duration, onTimeout })
  )
}

const onLiveClock = <A, E, R, E2>(
  self: Effect.Effect<A, E, R>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> =>
  Effect.uninterruptibleMask((restore) => {
    // The attempt's value comes back through a hand-off, not its fiber's exit (see handoff.ts).
    const result = Handoff.make<A>()
    return Effect.flatMap(Effect.fork(restore(Handoff.into(self, result))), (fiber) =>
      restore(Effect.async<A, E | E2>((resume) => {
        let settled = false
        const onExit = (exit: Exit.Exit<void, E>) => {
          if (settled) {
            return
          }
          settled = true
          Deadlines.cancel(deadline)
          resume(Exit.isSuccess(exit) ? result.take : Exit.failCause(exit.cause))
        }
        const deadline = Deadlines.schedule(millis, () => {
          if (settled) {
            return
          }
          settled = true
          fiber.removeObserver(onExit)
          resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
        })
        fiber.addObserver(onExit)
        // The parent was interrupted while it waited: so is the attempt, and it is awaited.
        return Effect.suspend(() => {
          settled = true
          Deadlines.cancel(deadline)
          fiber.removeObserver(onExit)
          return Fiber.interrupt(fiber)
        })
      })))
  })

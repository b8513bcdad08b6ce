/**
 * Passing a value (an attempt's decoded page) from one fiber to another without leaving it
 * anywhere the runtime keeps.
 *
 * Why: V8 collects young objects by copying whatever is reachable from the old generation,
 * dead old objects included, until the next full collection. Several of Effect's runtime
 * structures keep references after they are done with them: a removed `Queue` node keeps its
 * value and the node after it, a fiber keeps its exit, a span keeps the exit it ended with,
 * the callback of an asynchronous step keeps its fiber. Once one such object has been
 * promoted, everything it reaches is copied and promoted too, and through the next-node links
 * that is every page that followed it: a stream of decoded pages then spends most of its time
 * in young-generation collections and grows the heap until a full collection (measured
 * streaming 200,000 customers from memory: 1.9 s of 4.1 s in those collections, and 1.7 times
 * the peak RSS). Nothing is leaked, only kept too long.
 *
 * A hand-off breaks those paths: what travels through a fiber exit or a queue is a small
 * holder, and the receiver empties it, so whatever still points at the holder keeps nothing
 * large alive.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** A one-value holder, emptied by whoever takes its value. */
export interface Handoff<A> {
  /** Puts `value` in the holder. */
  readonly put: (value: A) => void
  /** The value put, taken out of the holder; dies if there is none (a bug, not a failure). */
  readonly take: Effect.Effect<A>
}

/** An empty hand-off. */
export const make = <A>(): Handoff<A> => {
  let held = Option.none<A>()
  return {
    put: (value) => {
      held = Option.some(value)
    },
    take: Effect.suspend(() => {
      const value = held
      held = Option.none()
      return Option.isSome(value) ? Effect.succeed(value.value) : Effect.dieMessage("Handoff: nothing to take")
    })
  }
}

/** `self`, its value put in `handoff` rather than returned: the fiber that runs it exits with nothing. */
export const into = <A, E, R>(self: Effect.Effect<A, E, R>, handoff: Handoff<A>): Effect.Effect<void, E, R> =>
  Effect.map(self, handoff.put)

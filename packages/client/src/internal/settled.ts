/**
 * Telling an effect that is already its outcome (an `Exit`: `Effect.succeed`, `Effect.fail`)
 * from one that has work to run.
 *
 * Why: a decoded body comes back as `Effect.succeed(value)` when the compiled decoder accepts
 * it. Mapping that value in plain code instead of adding `Effect.map` / `Effect.mapError` steps
 * saves effect steps on every call that succeeds.
 */
import type * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

/** Whether `effect` is an `Exit`: an `Exit<A, E>` is the `Effect<A, E>` that ends with it. */
export const isSettled = <A, E, R>(effect: Effect.Effect<A, E, R>): effect is Exit.Exit<A, E> & typeof effect =>
  Exit.isExit(effect)

/** Whether `effect` is an `Exit` that succeeded: its value can be read without running it. */
export const isSucceeded = <A, E, R>(effect: Effect.Effect<A, E, R>): effect is Exit.Success<A, E> & typeof effect =>
  isSettled(effect) && Exit.isSuccess(effect)

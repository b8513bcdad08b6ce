/**
 * `lago-effect fake`: the loopback fake, seeded and with its faults, until interrupted.
 */
import { Fault, LagoFake } from "@lago-effect/testing"
import * as LagoFakeServer from "@lago-effect/testing/node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type { CliFileError } from "../CliError.js"
import { CliOutput } from "../CliOutput.js"

/** The `fake` command's flags. */
export interface FakeFlags {
  readonly customers: number
  readonly faults: number
  readonly latency: number
  readonly rateLimit: Option.Option<number>
  readonly seed: number
  readonly port: number
  readonly host: string
  readonly apiKey: string
}

/** Serves the fake and prints where, with the shell lines that point `lago-effect` at it. */
export const serve = (flags: FakeFlags): Effect.Effect<never, CliFileError, CliOutput> =>
  Effect.gen(function*() {
    const fake = yield* LagoFake.LagoFake
    const server = yield* LagoFakeServer.LagoFakeServer
    const output = yield* CliOutput
    if (flags.faults > 0) {
      yield* fake.randomFaults({
        rate: flags.faults,
        seed: flags.seed,
        faults: [Fault.unavailable(), Fault.status(502), Fault.drop(), Fault.cutBody()]
      })
    }
    if (flags.latency > 0) yield* fake.inject({ fault: Fault.latency(`${flags.latency} millis`) })
    if (Option.isSome(flags.rateLimit)) {
      yield* fake.rateLimit({ limit: flags.rateLimit.value, window: "1 second" })
    }
    yield* output.stdout(
      [
        `Fake Lago listening on ${server.url} with ${flags.customers.toLocaleString("en-US")} customers${
          flags.faults > 0 ? `, ${(flags.faults * 100).toFixed(1)}% faults` : ""
        }${flags.latency > 0 ? `, ${flags.latency} ms latency` : ""}`,
        `export LAGO_API_URL=${server.url}`,
        `export LAGO_API_KEY=${flags.apiKey}`,
        "Ctrl-C stops it.",
        ""
      ].join("\n")
    )
    return yield* Effect.never
  }).pipe(
    Effect.provide(
      LagoFakeServer.layer({ port: flags.port, host: flags.host }).pipe(
        Layer.provideMerge(LagoFake.layer({ apiKey: flags.apiKey, seed: { customers: flags.customers } }))
      )
    )
  )

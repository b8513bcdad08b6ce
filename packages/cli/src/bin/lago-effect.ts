#!/usr/bin/env node
/**
 * The `lago-effect` binary: runs `LagoCli.run` on Node over `LagoHttpClient.layerUndici`, and
 * exits with its code; 130 when interrupted (Ctrl-C, SIGTERM), after the interrupted command
 * has cleaned up.
 *
 * Why that transport: the client's own, over undici's `request`, sends a call without the
 * platform's `HttpClient.execute` (its response wrappers and finalizers): an export streams
 * every customer through it. Its undici agent is made on the first request
 * (`LazyDispatcher`): `--help`, `--version` and the fake never load undici.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as HttpClient from "@effect/platform/HttpClient"
import { LagoHttpClient } from "@lago-effect/client"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as CliOutput from "../CliOutput.js"
import { ExitCode } from "../ExitCode.js"
import * as LazyDispatcher from "../internal/lazyDispatcher.js"
import * as LagoCli from "../LagoCli.js"

let code: number = ExitCode.ok

/** `LagoHttpClient.layerUndici`, its agent made on the first request and closed with the program. */
const transport = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(
    Effect.acquireRelease(
      // Through `default` (undici's `module.exports`), as the client's own layer does.
      Effect.sync(() => LazyDispatcher.make(() => import("undici").then((undici) => new undici.default.Agent()))),
      (dispatcher) => Effect.promise(dispatcher.close)
    ),
    LagoHttpClient.makeUndici
  )
)

NodeRuntime.runMain(
  LagoCli.run(process.argv).pipe(
    Effect.tap((exit) =>
      Effect.sync(() => {
        code = exit
      })
    ),
    Effect.provide(Layer.mergeAll(NodeContext.layer, transport, CliOutput.layerProcess))
  ),
  {
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(
        Exit.isSuccess(exit) ? code : Cause.isInterruptedOnly(exit.cause) ? ExitCode.interrupted : ExitCode.internal
      )
  }
)

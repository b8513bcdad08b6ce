#!/usr/bin/env node
/**
 * The `lago-effect` binary: runs `LagoCli.run` on Node with undici, and exits with its code;
 * 130 when interrupted (Ctrl-C, SIGTERM), after the interrupted command has cleaned up.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as CliOutput from "../CliOutput.js"
import { ExitCode } from "../ExitCode.js"
import * as LagoCli from "../LagoCli.js"

let code: number = ExitCode.ok

NodeRuntime.runMain(
  LagoCli.run(process.argv).pipe(
    Effect.tap((exit) =>
      Effect.sync(() => {
        code = exit
      })
    ),
    Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici, CliOutput.layerProcess))
  ),
  {
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(
        Exit.isSuccess(exit) ? code : Cause.isInterruptedOnly(exit.cause) ? ExitCode.interrupted : ExitCode.internal
      )
  }
)

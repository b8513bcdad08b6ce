#!/usr/bin/env node
/**
 * The `lago-effect` binary: runs `LagoCli.run` on Node with undici, and exits with its code;
 * 130 when interrupted (Ctrl-C, SIGTERM), after the interrupted command has cleaned up.
 */
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer } from "effect"
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

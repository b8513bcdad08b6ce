import type { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { LagoFake } from "@lago-effect/testing"
import { Config, ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import { requests } from "./helpers.js"

const fake = LagoFake.layerHttpClient({ seed: { customers: 1 } })

const withEnv = (env: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

const urlOfFirstCall = <E>(layer: Layer.Layer<LagoClient.LagoClient, E, HttpClient.HttpClient>) =>
  Effect.gen(function*() {
    const lago = yield* LagoClient.LagoClient
    yield* lago.customers.find("customer_1")
    return (yield* requests)[0].url
  }).pipe(Effect.provide(Layer.provideMerge(layer, fake)))

describe("LagoClient configuration", () => {
  it.each([
    [{}, "https://api.getlago.com/api/v1"],
    [{ region: "eu" as const }, "https://api.eu.getlago.com/api/v1"],
    [{ baseUrl: "https://lago.example.com" }, "https://lago.example.com/api/v1"],
    [{ baseUrl: "https://lago.example.com/" }, "https://lago.example.com/api/v1"],
    [{ baseUrl: "https://lago.example.com/api/v1/" }, "https://lago.example.com/api/v1"],
    [{ baseUrl: "http://localhost:3000/lago/api/v1" }, "http://localhost:3000/lago/api/v1"],
    [{ baseUrl: "https://lago.example.com", region: "eu" as const }, "https://lago.example.com/api/v1"]
  ])("%j → %s", (options, expected) => {
    expect(LagoClient.resolveBaseUrl(options)).toBe(expected)
  })

  it.effect("layerConfig reads LAGO_API_KEY, LAGO_API_URL and LAGO_REGION", () =>
    Effect.gen(function*() {
      const selfHosted = LagoClient.layerConfig().pipe(
        Layer.provide(withEnv({ LAGO_API_KEY: "k", LAGO_API_URL: "https://lago.example.com" }))
      )
      expect(yield* urlOfFirstCall(selfHosted)).toBe("https://lago.example.com/api/v1/customers/customer_1")
      const eu = LagoClient.layerConfig().pipe(Layer.provide(withEnv({ LAGO_API_KEY: "k", LAGO_REGION: "eu" })))
      expect(yield* urlOfFirstCall(eu)).toBe("https://api.eu.getlago.com/api/v1/customers/customer_1")
    }))

  it.effect("a missing LAGO_API_KEY is a ConfigError that names it", () =>
    Effect.gen(function*() {
      const layer = LagoClient.layerConfig().pipe(Layer.provide(withEnv({})), Layer.provide(fake))
      const exit = yield* Effect.exit(Layer.build(layer).pipe(Effect.scoped))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(Exit.isFailure(exit) ? exit.cause : "")).toContain("LAGO_API_KEY")
    }))

  it.effect("a LAGO_REGION other than us or eu is a ConfigError", () =>
    Effect.gen(function*() {
      const layer = LagoClient.layerConfig().pipe(
        Layer.provide(withEnv({ LAGO_API_KEY: "k", LAGO_REGION: "mars" })),
        Layer.provide(fake)
      )
      const exit = yield* Effect.exit(Layer.build(layer).pipe(Effect.scoped))
      expect(String(Exit.isFailure(exit) ? exit.cause : "")).toContain("LAGO_REGION")
    }))

  it.effect("an unusable base URL fails the layer with LagoInvalidInputError", () =>
    Effect.gen(function*() {
      const layer = LagoClient.layer({ apiKey: Redacted.make("k"), baseUrl: "not a url" }).pipe(Layer.provide(fake))
      const error = yield* Effect.flip(Layer.build(layer).pipe(Effect.scoped))
      expect(error._tag).toBe("LagoInvalidInputError")
    }))

  it.effect("what the caller gives wins over the environment; the rest comes from it", () =>
    Effect.gen(function*() {
      const env = withEnv({ LAGO_API_KEY: "k", LAGO_API_URL: "https://env.example.com", LAGO_REGION: "eu" })
      const explicit = LagoClient.layerConfig({ baseUrl: Config.succeed("https://given.example.com") }).pipe(
        Layer.provide(env)
      )
      expect(yield* urlOfFirstCall(explicit)).toBe("https://given.example.com/api/v1/customers/customer_1")
      const otherVariable = LagoClient.layerConfig({ baseUrl: Config.string("BILLING_URL") }).pipe(
        Layer.provide(withEnv({ LAGO_API_KEY: "k", BILLING_URL: "https://billing.example.com" }))
      )
      expect(yield* urlOfFirstCall(otherVariable)).toBe("https://billing.example.com/api/v1/customers/customer_1")
      const region = LagoClient.layerConfig({ region: Config.succeed("us") }).pipe(
        Layer.provide(withEnv({ LAGO_API_KEY: "k", LAGO_REGION: "eu" }))
      )
      expect(yield* urlOfFirstCall(region)).toBe("https://api.getlago.com/api/v1/customers/customer_1")
    }))

  it.effect("a key given as a Config is kept Redacted", () =>
    Effect.gen(function*() {
      const layer = LagoClient.layerConfig({ apiKey: Config.redacted("MY_LAGO_KEY") }).pipe(
        Layer.provide(withEnv({ MY_LAGO_KEY: "sk_live_secret" }))
      )
      expect(yield* urlOfFirstCall(layer)).toBe("https://api.getlago.com/api/v1/customers/customer_1")
      const missing = LagoClient.layerConfig({ apiKey: Config.redacted("MY_LAGO_KEY") }).pipe(
        Layer.provide(withEnv({ LAGO_API_KEY: "ignored" })),
        Layer.provide(fake)
      )
      const exit = yield* Effect.exit(Layer.build(missing).pipe(Effect.scoped))
      expect(String(Exit.isFailure(exit) ? exit.cause : "")).toContain("MY_LAGO_KEY")
    }))
})

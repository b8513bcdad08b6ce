/**
 * Settings are checked when the client is made (or, for the per-call combinators, when the
 * call runs): a bad key, base URL, duration or limit is a LagoInvalidInputError naming the
 * setting, never a defect, and never echoing the key or a password.
 */
import { describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { LagoFake } from "@lago-effect/testing"
import { ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import { liveLayer } from "./helpers.js"

const fake = LagoFake.layerHttpClient({ seed: { customers: 1 } })

const makeFails = (options: Partial<LagoClient.Options>) =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(
      LagoClient.make({ apiKey: Redacted.make("lago_key_1"), baseUrl: "https://lago.example.com", ...options }).pipe(
        Effect.provide(fake)
      )
    )
    expect(Exit.isFailure(exit)).toBe(true)
    const error = yield* Effect.flip(exit)
    expect(error._tag).toBe("LagoInvalidInputError")
    return error
  })

const texts = (error: { readonly message: string }) => [error.message, String(error), JSON.stringify(error)]

describe("client settings", () => {
  it.effect.each([
    ["empty", ""],
    ["carriage return", "lago_key\r1"],
    ["line feed", "lago_key\nInjected: 1"],
    ["NUL", "lago_key\u00001"],
    ["escape", "lago_key\u001b[31m"],
    ["DEL", "lago_key\u007f"],
    ["space inside", "lago key"],
    ["leading space", " lago_key"],
    ["tab", "lago_key\t"],
    ["non-ASCII", "lago_kéy"],
    ["emoji", "lago_key_😀"]
  ])("refuses an API key with %s, without echoing it", ([_, key]) =>
    Effect.gen(function*() {
      const error = yield* makeFails({ apiKey: Redacted.make(key) })
      expect(error._tag === "LagoInvalidInputError" && error.field).toBe("apiKey")
      if (key !== "") { for (const text of texts(error)) expect(text).not.toContain(key) }
    }))

  it.effect("refuses LAGO_API_KEY=\"\" from the environment", () =>
    Effect.gen(function*() {
      const layer = LagoClient.layerConfig().pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["LAGO_API_KEY", ""]])))),
        Layer.provide(fake)
      )
      const error = yield* Effect.flip(Layer.build(layer).pipe(Effect.scoped))
      expect(error._tag === "LagoInvalidInputError" && error.field).toBe("apiKey")
    }))

  it.effect("refuses credentials in the base URL, without echoing the password", () =>
    Effect.gen(function*() {
      for (const baseUrl of ["http://admin:pa55word@lago.example.com", "https://pa55word@lago.example.com/api/v1"]) {
        const error = yield* makeFails({ baseUrl })
        expect(error._tag === "LagoInvalidInputError" && error.field).toBe("baseUrl")
        for (const text of texts(error)) expect(text).not.toContain("pa55word")
      }
    }))

  it.effect.each([
    "http://lago.example.com?tenant=1",
    "http://lago.example.com/api/v1?tenant=1",
    "http://lago.example.com#f",
    "http://lago.example.com/?",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "ftp://lago.example.com",
    "data:text/plain,x",
    "ws://lago.example.com",
    "not a url"
  ])("refuses the base URL %s", (baseUrl) =>
    Effect.gen(function*() {
      const error = yield* makeFails({ baseUrl })
      expect(error._tag === "LagoInvalidInputError" && error.field).toBe("baseUrl")
    }))

  it.effect.each(
    [
      ["timeout", "{\"timeout\":\"soon\"}"],
      ["timeout", "{\"timeout\":-1}"],
      ["timeout", "{\"timeout\":0}"],
      ["timeout", "{\"timeout\":\"-5 seconds\"}"],
      ["timeout", "{\"timeout\":{}}"],
      ["totalTimeout", "{\"totalTimeout\":\"5 lightyears\"}"],
      ["retry.maxRetryAfter", "{\"retry\":{\"maxRetryAfter\":\"a minute\"}}"],
      ["retry.times", "{\"retry\":{\"times\":-1}}"],
      ["retry.times", "{\"retry\":{\"times\":1.5}}"],
      ["retry.times", "{\"retry\":{\"times\":\"3\"}}"],
      ["maxResponseBytes", "{\"maxResponseBytes\":0}"],
      ["maxResponseBytes", "{\"maxResponseBytes\":1.5}"]
    ] as const
  )("refuses a malformed %s: %s", ([field, json]) =>
    Effect.gen(function*() {
      // As a JavaScript caller, or a config file, would pass it: unchecked by the compiler.
      const options: Partial<LagoClient.Options> = JSON.parse(json)
      const error = yield* makeFails(options)
      expect(error._tag === "LagoInvalidInputError" && error.field).toBe(field)
    }))

  it.effect.each(
    [
      ["timeout", { timeout: Number.NaN }],
      ["totalTimeout", { totalTimeout: [1, Number.NaN] as const }],
      ["retry.times", { retry: { times: Number.POSITIVE_INFINITY } }],
      ["maxResponseBytes", { maxResponseBytes: Number.NaN }]
    ] as const
  )("refuses a non-finite %s", ([field, options]) =>
    Effect.gen(function*() {
      const error = yield* makeFails(options)
      expect(error._tag === "LagoInvalidInputError" && error.field).toBe(field)
    }))

  it.effect("accepts well-formed settings, including an infinite attempt time-out", () =>
    Effect.gen(function*() {
      const client = yield* LagoClient.make({
        apiKey: Redacted.make("lago_key_1"),
        baseUrl: "http://lago.test",
        timeout: Number.POSITIVE_INFINITY,
        totalTimeout: "2 minutes",
        maxResponseBytes: 64 * 1024,
        retry: { times: 0, maxRetryAfter: 0 }
      })
      expect((yield* client.customers.find("customer_1")).external_id).toBe("customer_1")
    }).pipe(Effect.provide(fake)))

  it.effect.each(
    [
      ["withTimeout", LagoClient.withTimeout(JSON.parse("\"never\"")), "timeout"],
      ["withTimeout", LagoClient.withTimeout(-3), "timeout"],
      ["withTotalTimeout", LagoClient.withTotalTimeout(JSON.parse("\"1 fortnight\"")), "totalTimeout"],
      ["withRetry", LagoClient.withRetry({ maxRetryAfter: JSON.parse("\"later\"") }), "retry.maxRetryAfter"],
      ["withRetry", LagoClient.withRetry({ times: -2 }), "retry.times"]
    ] as const
  )(
    "%s with a malformed setting fails the call with LagoInvalidInputError",
    ([_, override, field]) =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const error = yield* Effect.flip(override(lago.customers.find("customer_1")))
        expect(error._tag === "LagoInvalidInputError" && [error.field, error.operation]).toEqual([
          field,
          "findCustomer"
        ])
      }).pipe(Effect.provide(liveLayer({ seed: { customers: 1 } })))
  )
})

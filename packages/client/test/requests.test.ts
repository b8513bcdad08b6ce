/**
 * What every request carries (who sends it, the caller's extra headers, never in place of the
 * key), what a body that does not decode reports, and the combinators in both styles.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { Customer } from "@lago-effect/core"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Effect, Fiber, ModuleVersion, Redacted, Schema, TestClock } from "effect"
import { readFileSync } from "node:fs"
import { liveLayer, requests } from "./helpers.js"

const seed = { customers: [Builders.customerInput({ external_id: "acme" })] }
const find = Effect.flatMap(LagoClient.LagoClient, (lago) => lago.customers.find("acme"))
const lastHeaders = Effect.map(requests, (all) => all[all.length - 1].headers)

describe("requests", () => {
  it.effect("say who sends them: lago-effect and effect, with their versions", () =>
    Effect.gen(function*() {
      yield* find
      const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
      expect((yield* lastHeaders)["user-agent"]).toBe(
        `lago-effect/${version} effect/${ModuleVersion.getCurrentVersion()}`
      )
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("are sent each time a call's effect runs, and not when it is made", () =>
    Effect.gen(function*() {
      const lago = yield* LagoClient.LagoClient
      const call = lago.customers.find("acme")
      const invalid = lago.customers.find("")
      expect(yield* requests).toHaveLength(0)
      yield* call
      yield* call
      const sent = yield* requests
      expect(sent.map((request) => request.path)).toEqual(["/api/v1/customers/acme", "/api/v1/customers/acme"])
      expect(new Set(sent.map((request) => request.headers["x-request-id"])).size).toBe(2)
      // Arguments that do not check fail each run, without a request.
      expect((yield* Effect.flip(invalid))._tag).toBe("LagoInvalidInputError")
      expect((yield* Effect.flip(invalid))._tag).toBe("LagoInvalidInputError")
      expect(yield* requests).toHaveLength(2)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("carry the caller's extra headers, which cannot replace the key", () =>
    Effect.gen(function*() {
      yield* find
      const headers = yield* lastHeaders
      expect(headers["x-tenant"]).toBe("eu-1")
      expect(headers["user-agent"]).toBe("my-proxy/1.0")
      // The fake checks the bearer key: the call succeeded, so the key was sent as it is.
      expect(headers["accept"]).toBe("application/json")
    }).pipe(Effect.provide(liveLayer({
      seed,
      client: { headers: { "X-Tenant": "eu-1", "User-Agent": "my-proxy/1.0" } }
    }))))

  it.effect.each([
    { Authorization: "Bearer other" },
    { authorization: "Bearer other" },
    { "X-Request-Id": "mine" },
    { "X-Injected": "a\r\nAuthorization: Bearer other" },
    { "Bad Name": "x" }
  ])("refuses extra headers %j when the client is made", (headers) =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(LagoClient.make({
        apiKey: Redacted.make("lago_key"),
        baseUrl: "http://lago.test",
        headers
      }))
      expect(error._tag === "LagoInvalidInputError" && error.field).toBe("headers")
    }).pipe(Effect.provide(LagoFake.layerHttpClient())))

  it.effect("a body that does not decode reports every issue with its path, up to twenty", () =>
    Effect.gen(function*() {
      const customer = Schema.encodeSync(Customer.Customer)(Builders.customer())
      const wrong = {
        ...customer,
        external_id: 42,
        created_at: "yesterday",
        sequential_id: "1",
        metadata: Array.from({ length: 30 }, () => ({ key: 1 }))
      }
      const fake = yield* LagoFake.LagoFake
      yield* fake.inject({ fault: Fault.status(200, { body: JSON.stringify({ customer: wrong }) }), times: 1 })
      const error = yield* Effect.flip(find.pipe(LagoClient.withRetry({ times: 0 })))
      assert(error._tag === "LagoDecodeError")
      expect(error.issue).toMatch(/^\d+ issues: /)
      expect(error.issue).toContain("customer.external_id: Expected string, actual 42")
      expect(error.issue).toContain("customer.created_at")
      expect(error.issue).toContain("customer.sequential_id")
      expect(error.issue).toMatch(/; and \d+ more$/)
      expect(error.issue.split("; ").length).toBe(21)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("the combinators work data-first and data-last", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.inject({ fault: Fault.latency("10 seconds"), route: "findCustomer" })
      const lastFirst = yield* Effect.fork(
        Effect.flip(find.pipe(LagoClient.withTimeout("1 second"), LagoClient.withRetry({ times: 0 })))
      )
      const dataFirst = yield* Effect.fork(
        Effect.flip(LagoClient.withRetry(LagoClient.withTimeout(find, "2 seconds"), { times: 0 }))
      )
      yield* TestClock.adjust("3 seconds")
      const [a, b] = [yield* Fiber.join(lastFirst), yield* Fiber.join(dataFirst)]
      expect([a._tag === "LagoTimeoutError" && a.timeoutMillis, b._tag === "LagoTimeoutError" && b.timeoutMillis])
        .toEqual([1_000, 2_000])
      const total = yield* Effect.flip(LagoClient.withTotalTimeout(find, "0 millis"))
      expect(total._tag).toBe("LagoInvalidInputError")
    }).pipe(Effect.provide(liveLayer({ seed }))))
})

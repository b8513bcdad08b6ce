/**
 * Redirects, over real sockets with both HttpClients: Lago's API never redirects, so the client
 * never follows one. Every 3xx of every method is a LagoRedirectError after exactly one request,
 * naming the status and the redacted Location, and nothing ever reaches the other origin.
 */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { LagoClient, LagoHttpClient } from "@lago-effect/client"
import { Customer } from "@lago-effect/core"
import { Builders } from "@lago-effect/testing"
import { Effect, Layer, Redacted, Schedule, Schema } from "effect"
import { httpClients, json, serve } from "../src/HostileServer.js"

const stranger = Schema.encodeSync(Customer.CustomerResponse)({
  customer: Builders.customer({ external_id: "stranger", name: "Not yours" })
})

const operations = [
  ["GET find", (lago: LagoClient.Service) => lago.customers.find("acme")],
  ["POST create", (lago: LagoClient.Service) => lago.customers.create({ external_id: "acme", name: "Acme" })],
  ["DELETE destroy", (lago: LagoClient.Service) => lago.customers.destroy("acme")]
] as const

/** A client over the transport, which lives as long as the test's scope. */
const makeClient = (baseUrl: string, http: Layer.Layer<HttpClient.HttpClient>) =>
  Effect.flatMap(Layer.build(http), (context) =>
    LagoClient.make({
      apiKey: Redacted.make("lago_redirect_key"),
      baseUrl,
      // Retries on: a redirect must not be retried even so.
      retry: { times: 3, backoff: Schedule.spaced("1 millis") }
    }).pipe(Effect.provide(context)))

describe("redirects are never followed", () => {
  for (const [clientName, http] of httpClients) {
    for (const status of [301, 302, 303, 307, 308]) {
      for (const [operationName, operation] of operations) {
        it.live(`${clientName}: ${status} on ${operationName}`, () =>
          Effect.gen(function*() {
            const other = yield* serve((_, response) => json(response, 200, stranger))
            const lago = yield* serve((_, response) => {
              response.writeHead(status, {
                location: `http://user:pass@${other.origin.slice(7)}/api/v1/customers/stranger?token=t0k3n#frag`,
                "content-type": "text/html"
              })
              response.end("<a href=\"elsewhere\">Moved</a>")
            })
            const client = yield* makeClient(lago.origin, http)
            const error = yield* Effect.flip(operation(client))
            expect(error._tag).toBe("LagoRedirectError")
            if (error._tag !== "LagoRedirectError") return
            expect(error.status).toBe(status)
            expect(error.location).toBe(`${other.origin}/api/v1/customers/stranger?…`)
            expect(error.message).not.toContain("t0k3n")
            expect(error.message).not.toContain("pass")
            expect(lago.requests).toHaveLength(1)
            expect(other.requests).toHaveLength(0)
          }).pipe(Effect.scoped))
      }
    }

    it.live(`${clientName}: a redirect loop costs one request`, () =>
      Effect.gen(function*() {
        const lago = yield* serve((request, response) => {
          response.writeHead(302, { location: request.url })
          response.end()
        })
        const client = yield* makeClient(lago.origin, http)
        const error = yield* Effect.flip(client.customers.find("acme"))
        expect(error._tag).toBe("LagoRedirectError")
        expect(lago.requests).toHaveLength(1)
      }).pipe(Effect.scoped))

    it.live(`${clientName}: a redirect to the same origin is not followed either`, () =>
      Effect.gen(function*() {
        const lago = yield* serve((request, response) => {
          if (request.url.startsWith("/v2")) return json(response, 200, stranger)
          response.writeHead(307, { location: "/v2/customers/acme" })
          response.end()
        })
        const client = yield* makeClient(lago.origin, http)
        const error = yield* Effect.flip(client.customers.create({ external_id: "acme" }))
        expect(error._tag === "LagoRedirectError" && error.location).toBe(`${lago.origin}/v2/customers/acme`)
        expect(lago.requests.map((r) => r.method)).toEqual(["POST"])
      }).pipe(Effect.scoped))
  }

  it.live("an HttpClient that follows redirects by itself: the other origin's answer is refused", () =>
    Effect.gen(function*() {
      const other = yield* serve((_, response) => json(response, 200, stranger))
      const lago = yield* serve((_, response) => {
        response.writeHead(302, { location: `${other.origin}/api/v1/customers/stranger` })
        response.end()
      })
      const following = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, HttpClient.followRedirects(5))
      ).pipe(Layer.provide(NodeHttpClient.layerUndici))
      const client = yield* makeClient(lago.origin, following)
      const error = yield* Effect.flip(client.customers.find("acme"))
      expect(error._tag).toBe("LagoRedirectError")
      expect(error._tag === "LagoRedirectError" && error.location).toBe(`${other.origin}/api/v1/customers/stranger`)
      // That client did send the request on; the client could only refuse the answer.
      expect(other.requests).toHaveLength(1)
      expect(lago.requests).toHaveLength(1)
    }).pipe(Effect.scoped))

  // A `fetch` that follows redirects whatever it is told: the answer says where it came from.
  const followingFetch: typeof globalThis.fetch = (input, init) =>
    globalThis.fetch(input, { ...init, redirect: "follow" })
  const lagoFetch = [
    ["FetchHttpClient.layer", FetchHttpClient.layer],
    ["LagoHttpClient.layer", LagoHttpClient.layer],
    [
      "LagoHttpClient.layer, transformed",
      Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, HttpClient.mapRequest((r) => r))).pipe(
        Layer.provide(LagoHttpClient.layer)
      )
    ]
  ] as const
  for (const [clientName, http] of lagoFetch) {
    it.live(`${clientName} over a fetch that follows redirects by itself: the other origin's answer is refused`, () =>
      Effect.gen(function*() {
        const other = yield* serve((_, response) => json(response, 200, stranger))
        const lago = yield* serve((request, response) => {
          // A redirect within the origin is followed by that fetch and answered: the call succeeds.
          if (request.url?.endsWith("/moved")) return json(response, 200, stranger)
          const to = request.url?.includes("/acme") ? `${other.origin}/api/v1/customers/stranger?token=t0k3n` : "/moved"
          response.writeHead(302, { location: to })
          response.end()
        })
        const client = yield* makeClient(lago.origin, http)
        // The calling fiber's Fetch: the one both lanes use first.
        const calls = Effect.provideService(FetchHttpClient.Fetch, followingFetch)
        const error = yield* Effect.flip(calls(client.customers.find("acme")))
        expect(error._tag).toBe("LagoRedirectError")
        expect(error._tag === "LagoRedirectError" && error.location).toBe(`${other.origin}/api/v1/customers/stranger?…`)
        expect(error.message).not.toContain("t0k3n")
        expect(other.requests).toHaveLength(1)
        const same = yield* calls(client.customers.find("same-origin"))
        expect(same.external_id).toBe("stranger")
      }).pipe(Effect.scoped))
  }
})

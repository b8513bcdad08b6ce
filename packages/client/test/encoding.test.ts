import { assert, describe, expect, it } from "@effect/vitest"
import { LagoClient, LagoOperation } from "@lago-effect/client"
import type { LagoError } from "@lago-effect/core"
import { Builders, LagoFake } from "@lago-effect/testing"
import { Effect } from "effect"
import { apiKey, liveLayer, requests } from "./helpers.js"

const ids = ["acme.com", "a/b", "a?b#c", "100%", "a b", "ü", "a+b", "gid://app/Customer/1234", "...", ".hidden", "%2E"]

const seed = {
  customers: [
    ...ids.map((external_id) => Builders.customerInput({ external_id, name: `name of ${external_id}` })),
    Builders.customerInput({ external_id: "acme", name: "the other acme" })
  ]
}

describe("path encoding", () => {
  it.each([
    ["acme.com", "acme%2Ecom"],
    ["a/b", "a%2Fb"],
    ["a?b#c", "a%3Fb%23c"],
    ["100%", "100%25"],
    ["a b", "a%20b"],
    ["ü", "%C3%BC"],
    ["a+b", "a%2Bb"],
    ["...", "%2E%2E%2E"]
  ])("%j is sent as %s", (id, encoded) => {
    expect(LagoOperation.encodeSegment(id)).toBe(encoded)
  })

  it.layer(liveLayer({ seed }))((it) => {
    it.effect.each(ids)("%j reaches Lago as exactly one path segment", (id) =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const customer = yield* lago.customers.find(id)
        expect(customer.external_id).toBe(id)
        expect(customer.name).toBe(`name of ${id}`)
        const request = (yield* requests).at(-1)
        expect(request?.segments).toEqual(["customers", id])
        const portal = yield* lago.customers.getPortalUrl(id)
        expect(portal).toContain("/customer-portal/")
        expect((yield* requests).at(-1)?.segments).toEqual(["customers", id, "portal_url"])
      }))

    it.effect("the fake routes like Rails: an unencoded dot reaches another customer, or no route", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        const show = yield* fake.handle({
          method: "GET",
          url: "/api/v1/customers/acme.com",
          headers: { accept: "application/json", authorization: `Bearer ${apiKey}` },
          body: ""
        })
        assert(show._tag === "Respond")
        expect(JSON.parse(show.response.body).customer.name).toBe("the other acme")
        const nested = yield* fake.handle({
          method: "GET",
          url: "/api/v1/customers/acme.com/portal_url",
          headers: { accept: "application/json", authorization: `Bearer ${apiKey}` },
          body: ""
        })
        assert(nested._tag === "Respond")
        expect([nested.response.status, JSON.parse(nested.response.body)]).toEqual([
          404,
          { status: 404, error: "Not Found", code: "resource_not_found" }
        ])
      }))

    it.effect("query values are form-encoded", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        yield* lago.customers.findAll({ search_term: "a&b=c d+é", metadata: { "k&": "v=1" } })
        const request = (yield* requests).at(-1)
        expect(request?.query).toEqual([["search_term", "a&b=c d+é"], ["metadata[k&]", "v=1"]])
      }))
  })

  describe("one rule for ids, creating included", () => {
    const invalid = ["", " ", "\t\n", ".", "..", "a\uD800", "\uDC00"]
    const operations = (
      lago: LagoClient.Service,
      id: string
    ): ReadonlyArray<Effect.Effect<unknown, LagoError.LagoError>> => [
      lago.customers.create({ external_id: id, name: "never sent" }),
      lago.customers.find(id),
      lago.customers.destroy(id),
      lago.customers.findCurrentUsage(id, { external_subscription_id: "sub" }),
      lago.customers.getPortalUrl(id),
      lago.customers.deleteAppliedCoupon(id, "coupon"),
      lago.customers.deleteAppliedCoupon("acme", id)
    ]

    it.layer(liveLayer({ seed }))((it) => {
      it.effect.each(invalid)(
        "%j is refused by every operation before anything is sent",
        (id) =>
          Effect.gen(function*() {
            const lago = yield* LagoClient.LagoClient
            const before = (yield* requests).length
            for (const operation of operations(lago, id)) {
              const error = yield* Effect.flip(operation)
              assert(error._tag === "LagoInvalidInputError")
              expect(["external_id", "applied_coupon_id"]).toContain(error.field)
            }
            expect((yield* requests).length).toBe(before)
          })
      )

      it.effect("a customer created with any other id can be found, listed and deleted", () =>
        Effect.gen(function*() {
          const lago = yield* LagoClient.LagoClient
          for (const id of ["...", ". ", " .", "a.", "%2E%2E", "😀"]) {
            yield* lago.customers.create({ external_id: id })
            expect((yield* lago.customers.find(id)).external_id).toBe(id)
            expect((yield* lago.customers.findAll({ external_id: id })).customers.map((c) => c.external_id)).toEqual([
              id
            ])
            expect((yield* lago.customers.destroy(id)).external_id).toBe(id)
          }
        }))
    })
  })
})

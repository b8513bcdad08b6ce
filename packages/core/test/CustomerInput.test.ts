import { describe, expect, it } from "@effect/vitest"
import { CustomerInput } from "@lago-effect/core"
import { Either, Schema } from "effect"
import { createRequest } from "./fixtures.js"
import { assertRoundTrip, undefinedPaths, withoutUndefined } from "./utils.js"

const encodeBody = Schema.encodeSync(CustomerInput.CustomerCreateBody)
const encodeInput = Schema.encodeEither(CustomerInput.CustomerInput)

describe("CustomerInput", () => {
  it("decodes and encodes the create request of §6 example 1 unchanged", () => {
    const body = Schema.decodeUnknownSync(CustomerInput.CustomerCreateBody)(createRequest)
    expect(encodeBody(body)).toEqual(createRequest)
  })

  it("sends only the keys the caller set: absent and undefined are left out, null is sent", () => {
    const encoded = encodeBody({
      customer: {
        external_id: "acme",
        name: "Acme",
        email: null,
        phone: undefined,
        shipping_address: { city: null, zipcode: undefined },
        billing_configuration: { document_locale: undefined, invoice_grace_period: null }
      }
    })
    expect(encoded).toStrictEqual({
      customer: {
        external_id: "acme",
        name: "Acme",
        email: null,
        shipping_address: { city: null },
        billing_configuration: { invoice_grace_period: null }
      }
    })
    expect(JSON.stringify(encoded)).not.toContain("phone")
  })

  it("keeps metadata replacement explicit: an empty list is sent, an absent one is not", () => {
    expect(encodeBody({ customer: { external_id: "a", metadata: [] } })).toStrictEqual({
      customer: { external_id: "a", metadata: [] }
    })
    expect(encodeBody({ customer: { external_id: "a" } })).toStrictEqual({ customer: { external_id: "a" } })
  })

  it("requires a non-blank external_id", () => {
    expect(Either.isLeft(encodeInput({ external_id: "" }))).toBe(true)
    expect(Either.isLeft(encodeInput({ external_id: "   " }))).toBe(true)
    expect(Either.isRight(encodeInput({ external_id: " acme" }))).toBe(true)
    const missing = Schema.decodeUnknownEither(CustomerInput.CustomerInput)({ name: "x" })
    expect(Either.isLeft(missing) && missing.left.message).toContain("external_id")
  })

  it("refuses values Lago would reject with 422", () => {
    expect(Either.isLeft(encodeInput({ external_id: "a", net_payment_term: -1 }))).toBe(true)
    expect(Either.isLeft(encodeInput({ external_id: "a", name: "x".repeat(256) }))).toBe(true)
    expect(Either.isLeft(encodeInput({ external_id: "a", metadata: [{ key: "k".repeat(21), value: "v" }] }))).toBe(
      true
    )
  })

  it("accepts unknown enum values for forward compatibility", () => {
    const encoded = encodeInput({
      external_id: "a",
      billing_configuration: { payment_provider: "paypal" },
      integration_customers: [{ integration_type: "quickbooks", integration_code: "qb" }]
    })
    expect(Either.isRight(encoded)).toBe(true)
  })

  it(
    "round-trips every generated input and never encodes undefined",
    () =>
      assertRoundTrip(CustomerInput.CustomerInput, {
        normalize: withoutUndefined(CustomerInput.CustomerInput),
        numRuns: 100
      }),
    60_000
  )

  it("finds undefined in an encoded value when there is one (the check above can fail)", () => {
    expect(undefinedPaths({ a: [{ b: undefined }] })).toEqual(["$.a[0].b"])
  })
})

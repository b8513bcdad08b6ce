import { assert, describe, expect, it } from "@effect/vitest"
import { Customer } from "@lago-effect/core"
import { DateTime, Either, FastCheck as fc, ParseResult, Schema } from "effect"
import { customerResponse, customersPageResponse } from "./fixtures.js"
import { assertRoundTrip } from "./utils.js"

const decodeResponse = Schema.decodeUnknownEither(Customer.CustomerResponse)
const decodeCustomer = Schema.decodeUnknownEither(Customer.Customer)
const decodeCustomerSync = Schema.decodeUnknownSync(Customer.Customer)
const encodeResponse = Schema.encodeSync(Customer.CustomerResponse)

/** A list item of example 3 (no custom sections, no error details, no provider id). */
const bareCustomer = customersPageResponse.customers[1]

describe("Customer", () => {
  it("decodes the 200 response of create, show and destroy (§6 example 2)", () => {
    const decoded = decodeResponse(customerResponse)
    assert(Either.isRight(decoded))
    const { customer } = decoded.right
    expect(customer.external_id).toBe("5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba")
    expect(DateTime.formatIso(customer.created_at)).toBe("2022-04-29T08:59:51.000Z")
    expect(customer.billing_configuration.payment_provider).toBe("stripe")
    expect(customer.billing_configuration.provider_payment_methods).toEqual(["card", "sepa_debit"])
    expect(customer.metadata[0].key).toBe("Purchase Order")
    expect(DateTime.isDateTime(customer.metadata[0].created_at)).toBe(true)
    expect(customer.taxes[0].rate).toBe(20)
    expect(customer.integration_customers?.[0].type).toBe("netsuite")
    expect(customer.applicable_invoice_custom_sections?.[0].code).toBe("eu_bank_details")
    expect(customer.error_details).toEqual([])
    expect(customer.external_salesforce_id).toBeNull()
  })

  it("encodes back to exactly the wire form", () => {
    expect(encodeResponse(Schema.decodeUnknownSync(Customer.CustomerResponse)(customerResponse))).toEqual(
      customerResponse
    )
    for (const item of customersPageResponse.customers) {
      expect(Schema.encodeSync(Customer.Customer)(decodeCustomerSync(item))).toEqual(item)
    }
  })

  it("decodes a customer with nulls everywhere and no provider (§6 example 3, second item)", () => {
    const customer = decodeCustomerSync(bareCustomer)
    expect(customer.name).toBeNull()
    expect(customer.customer_type).toBeNull()
    expect(customer.billing_configuration.payment_provider).toBeNull()
    expect(customer.billing_configuration.invoice_grace_period).toBeNull()
    expect(customer.billing_configuration.document_locale).toBeNull()
    expect("provider_customer_id" in customer.billing_configuration).toBe(false)
    expect(customer.applicable_invoice_custom_sections).toBeUndefined()
    expect(customer.error_details).toBeUndefined()
  })

  describe("drift the server is known to produce", () => {
    it("ignores unknown keys at every level", () => {
      const drifted = {
        ...bareCustomer,
        brand_new_field: { nested: true },
        billing_configuration: { ...bareCustomer.billing_configuration, payment_method_id: "pm_1", extra: 1 },
        shipping_address: { ...bareCustomer.shipping_address, address_line3: "x" }
      }
      const customer = decodeCustomerSync(drifted)
      expect("brand_new_field" in customer).toBe(false)
      expect(customer.billing_configuration.payment_method_id).toBe("pm_1")
    })

    it("accepts unknown enum values and keeps them", () => {
      const customer = decodeCustomerSync({
        ...bareCustomer,
        account_type: "reseller",
        customer_type: "government",
        finalize_zero_amount_invoice: "sometimes",
        billing_configuration: {
          ...bareCustomer.billing_configuration,
          payment_provider: "paypal",
          document_locale: "ja",
          provider_payment_methods: ["card", "apple_pay"]
        },
        integration_customers: [{
          lago_id: "i1",
          type: "quickbooks",
          integration_code: null,
          external_customer_id: null,
          category: "erp"
        }]
      })
      expect(customer.account_type).toBe("reseller")
      expect(customer.customer_type).toBe("government")
      expect(customer.billing_configuration.payment_provider).toBe("paypal")
      expect(customer.integration_customers?.[0].type).toBe("quickbooks")
    })

    it("accepts nulls where the server emits them although the spec does not", () => {
      const customer = decodeCustomerSync({
        ...bareCustomer,
        billing_entity_code: null,
        billing_configuration: {
          invoice_grace_period: null,
          payment_provider: null,
          payment_provider_code: null,
          document_locale: null,
          provider_payment_methods: null
        },
        integration_customers: [{
          lago_id: "i1",
          type: "avalara",
          integration_code: null,
          external_customer_id: null,
          sync_with_provider: null
        }],
        error_details: [{ lago_id: null, error_code: "tax_error", details: {} }]
      })
      expect(customer.billing_entity_code).toBeNull()
      expect(customer.integration_customers?.[0].integration_code).toBeNull()
    })

    it("accepts keys the server leaves out", () => {
      const { applicable_invoice_custom_sections: _, error_details: __, ...listItem } = customerResponse.customer
      const { provider_customer_id: ___, provider_payment_methods: ____, ...billing } =
        customerResponse.customer.billing_configuration
      const customer = decodeCustomerSync({ ...listItem, billing_configuration: billing })
      expect(customer.billing_configuration.provider_customer_id).toBeUndefined()
      expect(customer.applicable_invoice_custom_sections).toBeUndefined()
    })

    it("accepts error details whose values are any JSON", () => {
      const customer = decodeCustomerSync({
        ...bareCustomer,
        error_details: [{
          lago_id: "e1",
          error_code: "tax_error",
          details: { message: "x", http_status: 503, retryable: true, extra: { nested: [1, null] } }
        }]
      })
      expect(customer.error_details?.[0].details).toEqual({
        message: "x",
        http_status: 503,
        retryable: true,
        extra: { nested: [1, null] }
      })
    })
  })

  describe("wrong types fail with a readable ParseError", () => {
    it.each([
      ["a number as external_id", { external_id: 42 }, "external_id"],
      ["a bad timestamp", { created_at: "yesterday" }, "created_at"],
      ["a string sequential_id", { sequential_id: "1" }, "sequential_id"],
      ["a missing lago_id", { lago_id: undefined }, "lago_id"],
      ["metadata that is not an array", { metadata: {} }, "metadata"]
    ])("%s", (_, patch, path) => {
      const result = decodeCustomer({ ...bareCustomer, ...patch })
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(ParseResult.isParseError(result.left)).toBe(true)
        expect(result.left.message).toContain(path)
      }
    })
  })

  it("round-trips every generated customer", () => assertRoundTrip(Customer.Customer, { numRuns: 60 }), 60_000)

  describe("timestamps are ISO 8601 date-times with an offset, nothing else", () => {
    const createdAt = (value: string) =>
      Either.map(decodeCustomer({ ...bareCustomer, created_at: value }), (c) => DateTime.toEpochMillis(c.created_at))

    it.each([
      ["2022-04-29T08:59:51Z", Date.UTC(2022, 3, 29, 8, 59, 51)],
      ["2022-04-29T08:59:51.123Z", Date.UTC(2022, 3, 29, 8, 59, 51, 123)],
      ["2022-04-29T08:59:51.123456789Z", Date.UTC(2022, 3, 29, 8, 59, 51, 123)],
      ["2022-04-29T10:59:51+02:00", Date.UTC(2022, 3, 29, 8, 59, 51)],
      ["2022-04-29T03:29:51-05:30", Date.UTC(2022, 3, 29, 8, 59, 51)],
      ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
      ["2000-02-29T23:59:59Z", Date.UTC(2000, 1, 29, 23, 59, 59)],
      ["2022-04-29t08:59:51z", Date.UTC(2022, 3, 29, 8, 59, 51)]
    ])("accepts %s", (value, millis) => {
      expect(createdAt(value)).toEqual(Either.right(millis))
    })

    it.each([
      "1",
      "0",
      "March 7, 2024",
      "Thu, 07 Mar 2024 00:00:00 GMT",
      "2024-02-30T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2024-04-31T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-00-10T00:00:00Z",
      "2024-01-00T00:00:00Z",
      "2024-01-01T24:00:00Z",
      "2024-01-01T23:60:00Z",
      "2024-01-01T23:59:60Z",
      "2024-01-01T00:00:00",
      "2024-01-01T00:00Z",
      "2024-01-01 00:00:00Z",
      "2024-01-01",
      "2024-01-01T00:00:00+24:00",
      "2024-01-01T00:00:00+0100",
      "+002024-01-01T00:00:00Z",
      " 2024-01-01T00:00:00Z",
      ""
    ])("refuses %j", (value) => {
      expect(Either.isLeft(createdAt(value))).toBe(true)
    })

    it.prop(
      "reads any instant written with any offset",
      [
        fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 })
      ],
      ([date, offsetMinutes]) => {
        const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, -1)
        const sign = offsetMinutes < 0 ? "-" : "+"
        const abs = Math.abs(offsetMinutes)
        const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
        expect(createdAt(`${local}${offset}`)).toEqual(Either.right(date.getTime()))
        expect(createdAt(date.toISOString())).toEqual(Either.right(date.getTime()))
      },
      { fastCheck: { numRuns: 500 }, timeout: 60_000 }
    )
  })
})

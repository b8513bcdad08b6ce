import { describe, expect, it } from "@effect/vitest"
import { CustomerUsage } from "@lago-effect/core"
import { BigDecimal, DateTime, Either, Schema } from "effect"
import { customerUsageResponse } from "./fixtures.js"
import { assertRoundTrip } from "./utils.js"

const decodeResponse = Schema.decodeUnknownSync(CustomerUsage.CustomerUsageResponse)
const usage = customerUsageResponse.customer_usage

describe("CustomerUsage", () => {
  it("decodes the current usage of §6 example 4", () => {
    const { customer_usage } = decodeResponse(customerUsageResponse)
    expect(DateTime.formatIso(customer_usage.from_datetime)).toBe("2022-07-01T00:00:00.000Z")
    expect(DateTime.formatIsoDateUtc(customer_usage.issuing_date)).toBe("2022-07-31")
    expect(customer_usage.total_amount_cents).toBe(6006)
    const [first, second] = customer_usage.charges_usage
    expect(BigDecimal.equals(first.units, BigDecimal.unsafeFromString("4"))).toBe(true)
    expect(first.charge.code).toBe("api_calls")
    expect(second.filters?.map((f) => f.values)).toEqual([{ cloud: ["aws"] }, { cloud: ["google"] }])
    expect(BigDecimal.format(second.filters![0].units)).toBe("3")
  })

  it("encodes back to exactly the wire form, \"4.0\" included", () => {
    expect(Schema.encodeSync(CustomerUsage.CustomerUsageResponse)(decodeResponse(customerUsageResponse))).toEqual(
      customerUsageResponse
    )
  })

  it("keeps decimals exact: no float touches them", () => {
    const big = "12345678901234567890.000000000001"
    const decoded = decodeResponse({
      customer_usage: { ...usage, charges_usage: [{ ...usage.charges_usage[0], units: big }] }
    })
    expect(Schema.encodeSync(CustomerUsage.CustomerUsageResponse)(decoded).customer_usage.charges_usage[0].units).toBe(
      big
    )
  })

  it("accepts the drift of the real server", () => {
    const decoded = decodeResponse({
      customer_usage: {
        ...usage,
        unknown_key: 1,
        charges_usage: [{
          ...usage.charges_usage[1],
          charge: { ...usage.charges_usage[1].charge, charge_model: "dynamic" },
          billable_metric: { ...usage.charges_usage[1].billable_metric, aggregation_type: "new_agg" },
          pricing_unit_details: { amount_cents: 10, short_name: "CR", conversion_rate: "0.5" },
          filters: [{
            units: "1.0",
            total_aggregated_units: "1.0",
            events_count: 1,
            amount_cents: 0,
            pricing_unit_details: null,
            invoice_display_name: null,
            values: null,
            presentation_breakdowns: []
          }],
          grouped_usage: [{
            amount_cents: 1,
            events_count: 1,
            units: "1.0",
            total_aggregated_units: "1.0",
            pricing_unit_details: null,
            grouped_by: { region: "eu", zone: null },
            filters: [],
            presentation_breakdowns: [{ presentation_by: { dept: "a" }, units: "1.0" }]
          }]
        }]
      }
    })
    const charge = decoded.customer_usage.charges_usage[0]
    expect(charge.charge.charge_model).toBe("dynamic")
    expect(charge.filters?.[0].values).toBeNull()
    expect(charge.grouped_usage?.[0].grouped_by).toEqual({ region: "eu", zone: null })
  })

  it("fails readably on a float where a decimal string is due", () => {
    const result = Schema.decodeUnknownEither(CustomerUsage.CustomerUsageResponse)({
      customer_usage: { ...usage, charges_usage: [{ ...usage.charges_usage[0], units: 4.0 }] }
    })
    expect(Either.isLeft(result) && result.left.message).toContain("units")
  })

  it("fails on an issuing_date that is not a calendar date", () => {
    for (const issuing_date of ["2022-02-30", "2022-07-31T00:00:00Z", "31/07/2022"]) {
      const result = Schema.decodeUnknownEither(CustomerUsage.CustomerUsage)({ ...usage, issuing_date })
      expect(Either.isLeft(result)).toBe(true)
    }
  })

  it("round-trips every generated usage", () => assertRoundTrip(CustomerUsage.CustomerUsage, { numRuns: 30 }), 60_000)
})

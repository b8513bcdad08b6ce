import { describe, expect, it } from "@effect/vitest"
import { AppliedCoupon } from "@lago-effect/core"
import { BigDecimal, Schema } from "effect"
import { appliedCouponResponse } from "./fixtures.js"
import { assertRoundTrip } from "./utils.js"

const decode = Schema.decodeUnknownSync(AppliedCoupon.AppliedCouponResponse)
const coupon = appliedCouponResponse.applied_coupon

describe("AppliedCoupon", () => {
  it("decodes the terminated coupon of §6 example 5 and encodes it back unchanged", () => {
    const { applied_coupon } = decode(appliedCouponResponse)
    expect(applied_coupon.status).toBe("terminated")
    expect(applied_coupon.terminated_at).toBeDefined()
    expect(Schema.encodeSync(AppliedCoupon.AppliedCouponResponse)(decode(appliedCouponResponse))).toEqual(
      appliedCouponResponse
    )
  })

  it("decodes a percentage coupon's rate as an exact decimal, and a new frequency", () => {
    const { applied_coupon } = decode({
      applied_coupon: { ...coupon, percentage_rate: "12.50000", amount_cents: null, frequency: "yearly" }
    })
    expect(applied_coupon.percentage_rate && BigDecimal.format(applied_coupon.percentage_rate)).toBe("12.5")
    expect(applied_coupon.frequency).toBe("yearly")
    expect(
      Schema.encodeSync(AppliedCoupon.AppliedCoupon)(applied_coupon).percentage_rate
    ).toBe("12.50000")
  })

  it("round-trips every generated coupon", () => assertRoundTrip(AppliedCoupon.AppliedCoupon, { numRuns: 100 }), 60_000)
})

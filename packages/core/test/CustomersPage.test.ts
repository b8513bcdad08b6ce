import { describe, expect, it } from "@effect/vitest"
import { CustomersPage } from "@lago-effect/core"
import { Either, Schema } from "effect"
import { customersPageResponse } from "./fixtures.js"
import { assertRoundTrip } from "./utils.js"

const decode = Schema.decodeUnknownSync(CustomersPage.CustomersPage)

describe("CustomersPage", () => {
  it("decodes a page (§6 example 3) and encodes it back unchanged", () => {
    const page = decode(customersPageResponse)
    expect(page.customers.map((c) => c.external_id)).toEqual(["5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba", "cust_0001"])
    expect(page.meta).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 35, total_count: 70 })
    expect(Schema.encodeSync(CustomersPage.CustomersPage)(page)).toEqual(customersPageResponse)
  })

  it("decodes the empty list, whose current_page is 0", () => {
    const page = decode({
      customers: [],
      meta: { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 }
    })
    expect(page.customers).toEqual([])
    expect(page.meta.current_page).toBe(0)
  })

  it("accepts meta without next_page and prev_page, as the spec allows", () => {
    const page = decode({ customers: [], meta: { current_page: 3, total_pages: 2, total_count: 4 } })
    expect(page.meta.next_page).toBeUndefined()
  })

  it("fails on a page without meta", () => {
    const result = Schema.decodeUnknownEither(CustomersPage.CustomersPage)({ customers: [] })
    expect(Either.isLeft(result) && result.left.message).toContain("meta")
  })

  it("round-trips every generated page", () => assertRoundTrip(CustomersPage.CustomersPage, { numRuns: 20 }), 60_000)
})

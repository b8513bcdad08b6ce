import { describe, expect, it } from "@effect/vitest"
import { PortalUrl } from "@lago-effect/core"
import { Either, Schema } from "effect"
import { portalUrlResponse } from "./fixtures.js"

describe("PortalUrl", () => {
  it("decodes §6 example 6", () => {
    expect(Schema.decodeUnknownSync(PortalUrl.PortalUrlResponse)(portalUrlResponse).customer.portal_url).toBe(
      "https://app.lago.com/customer-portal/1234567890"
    )
  })

  it("fails when portal_url is missing", () => {
    expect(Either.isLeft(Schema.decodeUnknownEither(PortalUrl.PortalUrlResponse)({ customer: {} }))).toBe(true)
  })
})

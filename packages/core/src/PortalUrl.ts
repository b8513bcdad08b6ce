/**
 * The customer portal URL, from `GET /customers/{id}/portal_url`. Each call
 * returns a new signed URL, valid for 12 hours.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * `{"portal_url": "https://..."}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PortalUrl = Schema.Struct({ portal_url: Schema.String }).annotations({ identifier: "PortalUrl" })
/**
 * @category schemas
 * @since 0.1.0
 */
export type PortalUrl = typeof PortalUrl.Type

/**
 * The envelope: `{"customer": {"portal_url": "..."}}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PortalUrlResponse = Schema.Struct({ customer: PortalUrl }).annotations({
  identifier: "PortalUrlResponse"
})
/**
 * @category schemas
 * @since 0.1.0
 */
export type PortalUrlResponse = typeof PortalUrlResponse.Type

/**
 * A payment provider checkout URL, from `POST /customers/{id}/checkout_url`: where the customer
 * registers a payment method. Each call asks the provider for a new one.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { PaymentProvider } from "./Customer.js"
import { NullableOpenEnum, NullableString } from "./internal/schemas.js"

const CheckoutUrl_ = Schema.Struct({
  lago_customer_id: Schema.String,
  external_customer_id: Schema.String,
  payment_provider: NullableOpenEnum(PaymentProvider),
  payment_provider_code: NullableString,
  /** The provider's checkout page for this customer. */
  checkout_url: NullableString
})

/**
 * `{"lago_customer_id": ..., "checkout_url": "https://..."}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CheckoutUrl extends Schema.Schema.Type<typeof CheckoutUrl_> {}
/**
 * The wire form of `CheckoutUrl`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CheckoutUrlEncoded extends Schema.Schema.Encoded<typeof CheckoutUrl_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const CheckoutUrl: Schema.Schema<CheckoutUrl, CheckoutUrlEncoded> = CheckoutUrl_.annotations({
  identifier: "CheckoutUrl"
})

/**
 * The envelope: `{"customer": {...}}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CheckoutUrlResponse = Schema.Struct({ customer: CheckoutUrl }).annotations({
  identifier: "CheckoutUrlResponse"
})
/**
 * @category schemas
 * @since 0.1.0
 */
export type CheckoutUrlResponse = typeof CheckoutUrlResponse.Type

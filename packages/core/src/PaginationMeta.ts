/**
 * Lago's pagination metadata, the same on every list (`GET /customers`,
 * `GET /customers/{id}/applied_coupons`, `GET /customers/{id}/past_usage`, ...).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Nullable, optionalKey } from "./internal/schemas.js"

const PaginationMeta_ = Schema.Struct({
  /** 0 when there are no results at all, not 1. */
  current_page: Schema.NonNegativeInt,
  next_page: optionalKey(Nullable(Schema.NonNegativeInt)),
  prev_page: optionalKey(Nullable(Schema.NonNegativeInt)),
  total_pages: Schema.NonNegativeInt,
  total_count: Schema.NonNegativeInt
})

/**
 * Lago's pagination metadata. The server always sends all five keys; the spec makes
 * `next_page` and `prev_page` optional. Iteration ends when `next_page` is null or absent.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface PaginationMeta extends Schema.Schema.Type<typeof PaginationMeta_> {}
/**
 * The wire form of `PaginationMeta`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface PaginationMetaEncoded extends Schema.Schema.Encoded<typeof PaginationMeta_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const PaginationMeta: Schema.Schema<PaginationMeta, PaginationMetaEncoded> = PaginationMeta_.annotations({
  identifier: "PaginationMeta"
})

/**
 * One page of `GET /customers` (contract §3.3, §4.3).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Customer } from "./Customer.js"
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
 * @since 0.1.0
 */
export interface PaginationMeta extends Schema.Schema.Type<typeof PaginationMeta_> {}
/** @since 0.1.0 */
export interface PaginationMetaEncoded extends Schema.Schema.Encoded<typeof PaginationMeta_> {}
/** @since 0.1.0 */
export const PaginationMeta: Schema.Schema<PaginationMeta, PaginationMetaEncoded> = PaginationMeta_.annotations({
  identifier: "PaginationMeta"
})

const CustomersPage_ = Schema.Struct({
  customers: Schema.Array(Customer),
  meta: PaginationMeta
})

/**
 * `{"customers": [...], "meta": {...}}`: customers newest first. List items carry no
 * `applicable_invoice_custom_sections` and no `error_details`.
 *
 * @since 0.1.0
 */
export interface CustomersPage extends Schema.Schema.Type<typeof CustomersPage_> {}
/** @since 0.1.0 */
export interface CustomersPageEncoded extends Schema.Schema.Encoded<typeof CustomersPage_> {}
/** @since 0.1.0 */
export const CustomersPage: Schema.Schema<CustomersPage, CustomersPageEncoded> = CustomersPage_.annotations({
  identifier: "CustomersPage"
})

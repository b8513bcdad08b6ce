/**
 * One page of `GET /customers`: customers newest first, with Lago's pagination metadata.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Customer } from "./Customer.js"
import { PaginationMeta } from "./PaginationMeta.js"

const CustomersPage_ = Schema.Struct({
  customers: Schema.Array(Customer),
  meta: PaginationMeta
})

/**
 * `{"customers": [...], "meta": {...}}`: customers newest first. List items carry no
 * `applicable_invoice_custom_sections` and no `error_details`.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CustomersPage extends Schema.Schema.Type<typeof CustomersPage_> {}
/**
 * The wire form of `CustomersPage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CustomersPageEncoded extends Schema.Schema.Encoded<typeof CustomersPage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const CustomersPage: Schema.Schema<CustomersPage, CustomersPageEncoded> = CustomersPage_.annotations({
  identifier: "CustomersPage"
})

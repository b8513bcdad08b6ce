/**
 * Customers as CSV (RFC 4180): one header row, one row per customer, comma-separated, CRLF
 * line ends, a field quoted when it holds a comma, a quote, CR or LF (its quotes doubled).
 *
 * Columns follow Lago's customer object, flattened: top-level values keep their names
 * (`external_id`, `created_at`, ...), nested objects get dotted names
 * (`billing_configuration.payment_provider`, `shipping_address.city`), and lists (`metadata`,
 * `taxes`, `integration_customers`, `applicable_invoice_custom_sections`, `error_details`)
 * hold their JSON. `null` and absent values are empty fields. The columns are the same for
 * every Lago release: a key an older server does not send is an empty field.
 *
 * Formula guard: spreadsheet programs run a cell that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return as a formula, so a customer name such as `=HYPERLINK(...)` could run
 * in the spreadsheet of whoever opens the export. By default such a text value is written
 * with a leading `'`, which spreadsheets display as text; numbers are never changed.
 *
 * @since 0.1.0
 */
import { Customer } from "@lago-effect/core"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"

/**
 * A column: its name and the path of keys to its value in the wire form of a customer.
 *
 * @category models
 * @since 0.1.0
 */
export interface Column {
  readonly name: string
  readonly path: ReadonlyArray<string>
}

/** Objects nested in a customer become dotted columns; anything else is one column. */
const columnsOf = (ast: SchemaAST.AST, prefix: ReadonlyArray<string>): Array<Column> => {
  if (!SchemaAST.isTypeLiteral(ast)) return [{ name: prefix.join("."), path: prefix }]
  return ast.propertySignatures.flatMap((property) => columnsOf(property.type, [...prefix, String(property.name)]))
}

/**
 * The columns, in order, derived from the customer schema's wire form (so they follow the
 * model as it grows).
 *
 * @category columns
 * @since 0.1.0
 */
export const columns: ReadonlyArray<Column> = columnsOf(Schema.encodedSchema(Customer.Customer).ast, [])

/**
 * Options of the CSV writer.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** Prefix text that a spreadsheet would run as a formula with `'`. Default `true`. */
  readonly formulaGuard?: boolean | undefined
}

const needsQuotes = /[",\r\n]/
const formulaStart = /^[=+\-@\t\r]/

/**
 * One field: quoted when it must be (RFC 4180), and guarded against formulas when it is text.
 *
 * @category encoding
 * @since 0.1.0
 */
export const field = (value: unknown, options: Options = {}): string => {
  let text: string
  if (value === null || value === undefined) return ""
  if (typeof value === "string") {
    text = options.formulaGuard !== false && formulaStart.test(value) ? `'${value}` : value
  } else if (typeof value === "number" || typeof value === "boolean") {
    return String(value)
  } else {
    text = JSON.stringify(value)
  }
  return needsQuotes.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text
}

/**
 * The header row, CRLF included.
 *
 * @category encoding
 * @since 0.1.0
 */
export const header: string = `${columns.map((column) => field(column.name)).join(",")}\r\n`

const valueAt = (value: unknown, path: ReadonlyArray<string>): unknown => {
  let current = value
  for (const key of path) {
    if (!Predicate.hasProperty(current, key)) return undefined
    current = current[key]
  }
  return current
}

/**
 * The row of one customer (its wire form, as `Schema.encode(Customer.Customer)` gives it),
 * CRLF included.
 *
 * @category encoding
 * @since 0.1.0
 */
export const row = (customer: Customer.CustomerEncoded, options: Options = {}): string =>
  `${columns.map((column) => field(valueAt(customer, column.path), options)).join(",")}\r\n`

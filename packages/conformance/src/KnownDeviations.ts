/**
 * Where Lago's real server and its OpenAPI spec disagree, and the fake follows the server
 * (see docs/customers-api.md). The Prism proxy test accepts exactly these violations: any
 * other one fails it, and so does an entry here that no test observed.
 */
import type { Violation } from "./Transport.js"

/** One known deviation. */
export interface KnownDeviation {
  readonly id: string
  /** Why: what the server does, and where in its code. */
  readonly source: string
  /** Whether a violation is this deviation. */
  readonly matches: (violation: Violation, exchange: { readonly method: string; readonly url: string }) => boolean
}

const at = (violation: Violation) => violation.location.join(".")

/** Every known deviation. */
export const knownDeviations: ReadonlyArray<KnownDeviation> = [
  {
    id: "billing-configuration-nulls",
    source: "the server emits null for invoice_grace_period, payment_provider, " +
      "payment_provider_code and document_locale of a customer without provider; the spec types them non-null",
    matches: (violation) =>
      /^response\.body\.(customer|customers\.\d+)\.billing_configuration\.(invoice_grace_period|payment_provider|payment_provider_code|document_locale)$/
        .test(at(violation)) && (violation.code === "type" || violation.code === "enum")
  },
  {
    id: "usage-405",
    source: "current_usage and projected_usage answer 405 no_active_subscription / full_usage_not_allowed, " +
      "a status the spec does not list",
    matches: (violation, exchange) =>
      at(violation) === "response" && violation.severity === "Warning" &&
      /\/(current|projected)_usage/.test(exchange.url) &&
      /Unable to match the returned status code/.test(violation.message)
  },
  {
    id: "projected-usage-groups",
    source: "the spec's projected charge usage requires a `groups` key that no Lago release sends (the required " +
      "lists of its filters and grouped usage sit on the arrays); its own example fails it",
    matches: (violation) =>
      /^response\.body\.customer_projected_usage\.charges_usage\.\d+$/.test(at(violation)) &&
      violation.code === "required" && /'groups'/.test(violation.message)
  },
  {
    id: "projected-usage-display-name-null",
    source: "projected usage sends the charge's invoice_display_name as stored, null when unset " +
      "(lago-api ProjectedChargeUsageSerializer#charge_data); the spec types it string",
    matches: (violation) =>
      /^response\.body\.customer_projected_usage\.charges_usage\.\d+\.charge\.invoice_display_name$/.test(
        at(violation)
      ) && violation.code === "type"
  },
  {
    id: "create-404",
    source: "POST /customers answers 404 billing_entity_not_found / tax_not_found, " +
      "a status the spec does not list",
    matches: (violation, exchange) =>
      at(violation) === "response" && violation.severity === "Warning" && exchange.method === "POST" &&
      /Unable to match the returned status code/.test(violation.message)
  }
]

/** The deviation a violation is, if any. */
export const deviationOf = (
  violation: Violation,
  exchange: { readonly method: string; readonly url: string }
): KnownDeviation | undefined => knownDeviations.find((deviation) => deviation.matches(violation, exchange))

/**
 * The client against `prism mock --errors`: Prism checks every request against Lago's spec
 * and answers with the spec's examples, which the client must decode.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { LagoClient, RetryPolicy } from "@lago-effect/client"
import { type LagoError } from "@lago-effect/core"
import { Effect, Layer, Redacted, Stream } from "effect"
import * as Prism from "../src/Prism.js"
import * as Transport from "../src/Transport.js"

const client = Layer.unwrapEffect(
  Effect.map(Prism.Prism, (prism) =>
    LagoClient.layer({
      apiKey: Redacted.make("prism_key"),
      baseUrl: `${prism.url}/api/v1`,
      retry: RetryPolicy.none
    }))
).pipe(
  Layer.provideMerge(Transport.layer({ stripApiPrefix: true })),
  Layer.provideMerge(Prism.layer({ mode: "mock" }))
)

const exchanges = Effect.flatMap(Transport.Exchanges, (log) => log)

describe.skipIf(!Prism.specAvailable)(`prism mock (${Prism.specAvailable ? Prism.specPath : Prism.skipReason})`, () => {
  layer(client, { timeout: "90 seconds", excludeTestServices: true })((it) => {
    it.effect("every operation passes Prism's request validation and decodes the spec's responses", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const created = yield* lago.customers.create({
          external_id: "acme",
          name: "Acme",
          email: null,
          currency: "EUR",
          country: "FR",
          billing_configuration: { payment_provider: "stripe", document_locale: "fr", sync: true },
          shipping_address: { city: "Paris", country: "FR" },
          metadata: [{ key: "plan", value: "gold", display_in_invoice: true }],
          tax_codes: ["vat"]
        })
        expect(created.lago_id).toMatch(/^[0-9a-f-]{36}$/)
        const page = yield* lago.customers.findAll({
          page: 1,
          per_page: 20,
          search_term: "acme",
          account_type: ["customer"],
          countries: ["FR", "US"],
          currencies: ["EUR"],
          has_tax_identification_number: true,
          customer_type: "company",
          has_customer_type: true,
          metadata: { plan: "gold" }
        })
        expect(page.customers.length).toBeGreaterThan(0)
        const customer = yield* lago.customers.find("acme.com")
        expect(customer.external_id.length).toBeGreaterThan(0)
        const usage = yield* lago.customers.findCurrentUsage("acme", {
          external_subscription_id: "sub_1",
          apply_taxes: false
        })
        expect(usage.charges_usage.length).toBeGreaterThan(0)
        expect(yield* lago.customers.getPortalUrl("acme")).toMatch(/^https?:\/\//)
        const coupon = yield* lago.customers.deleteAppliedCoupon("acme", "1a901a90-1a90-1a90-1a90-1a901a901a90")
        expect(coupon.lago_id.length).toBeGreaterThan(0)
        const coupons = yield* lago.customers.findAllAppliedCoupons("acme", {
          status: "active",
          coupon_code: ["BLACK_FRIDAY_2024"],
          page: 1,
          per_page: 10
        })
        expect(coupons.applied_coupons.length).toBeGreaterThan(0)
        // The spec's own example of projected usage fails the spec (see KnownDeviations): Prism
        // answers 500 for it. The request passed Prism's validation all the same.
        const projected = yield* Effect.flip(
          lago.customers.findProjectedUsage("acme", { external_subscription_id: "sub_1", apply_taxes: false })
        )
        expect(projected._tag === "LagoServerError" && projected.status).toBe(500)
        const projectedExchange = (yield* exchanges).at(-1)
        expect(projectedExchange?.violations.filter((v) => v.location[0] === "request")).toEqual([])
        const past = yield* lago.customers.findAllPastUsage("acme", {
          external_subscription_id: "sub_1",
          billable_metric_code: "cpu",
          periods_count: 2,
          page: 1,
          per_page: 5
        })
        expect(past.usage_periods.length).toBeGreaterThan(0)
        const checkout = yield* lago.customers.generateCheckoutUrl("acme")
        expect(checkout.external_customer_id.length).toBeGreaterThan(0)
        const deleted = yield* lago.customers.destroy("acme")
        expect(deleted.lago_id.length).toBeGreaterThan(0)
        // The mock answers the same example page (current_page 2) whatever page is asked for: a
        // server that ignores the query. The stream says so after one request, instead of looping.
        const before = (yield* exchanges).length
        const streamed = yield* Effect.flip(Stream.runCount(lago.customers.pages({ per_page: 5 })))
        expect(streamed._tag).toBe("LagoPaginationError")
        expect((yield* exchanges).length - before).toBe(1)

        const log = (yield* exchanges).filter((e) => !e.url.includes("/projected_usage"))
        expect(log.map((e) => e.status)).toEqual(log.map(() => 200))
        expect(log.flatMap((e) => e.violations)).toEqual([])
      }))

    it.effect("Prism rejects what the spec forbids, so the requests above were checked", () =>
      Effect.gen(function*() {
        const prism = yield* Prism.Prism
        const http = yield* HttpClient.HttpClient
        // Raw requests through the same recorded transport: Prism's verdict is in `sl-violations`.
        const send = (request: HttpClientRequest.HttpClientRequest) =>
          Effect.flatMap(
            http.execute(
              request.pipe(
                HttpClientRequest.bearerToken("prism_key"),
                HttpClientRequest.acceptJson,
                HttpClientRequest.prependUrl(prism.url)
              )
            ),
            (response) =>
              Effect.zipWith(response.text, exchanges, (body, log) => {
                // Prism lists violations in `sl-violations`, or in the body of its own 422.
                const exchange = log[log.length - 1]
                const problem: { readonly validation?: ReadonlyArray<Transport.Violation> } = JSON.parse(body)
                return { status: exchange.status, violations: [...exchange.violations, ...(problem.validation ?? [])] }
              })
          )
        const badPage = yield* send(HttpClientRequest.get("/customers?page=abc"))
        expect(badPage.status).toBe(422)
        expect(badPage.violations.map((v) => [v.location.join("."), v.code])).toEqual([["query.page", "type"]])
        const noCustomer = yield* send(HttpClientRequest.post("/customers").pipe(HttpClientRequest.bodyUnsafeJson({})))
        expect(noCustomer.status).toBe(422)
        expect(noCustomer.violations.map((v) => [v.location.join("."), v.code])).toEqual([["request.body", "required"]])
        const badCoupon = yield* send(HttpClientRequest.del("/customers/acme/applied_coupons/not-a-uuid"))
        expect(badCoupon.status).toBe(422)
        const noAuth = yield* Effect.flatMap(
          http.execute(HttpClientRequest.get(`${prism.url}/customers/acme`).pipe(HttpClientRequest.acceptJson)),
          (response) => Effect.succeed(response.status)
        )
        expect(noAuth).toBe(401)
      }))

    it.effect("the client maps the spec's error examples to its tags", () =>
      Effect.gen(function*() {
        const prism = yield* Prism.Prism
        const http = yield* HttpClient.HttpClient
        // Prism answers the example of the status a request asks for with `Prefer: code=...`.
        const clientPreferring = (code: number) =>
          LagoClient.make({
            apiKey: Redacted.make("prism_key"),
            baseUrl: `${prism.url}/api/v1`,
            retry: RetryPolicy.none
          })
            .pipe(Effect.provideService(
              HttpClient.HttpClient,
              HttpClient.mapRequest(http, HttpClientRequest.setHeader("prefer", `code=${code}`))
            ))
        type Call = (lago: LagoClient.Service) => Effect.Effect<unknown, LagoError.LagoError>
        const cases: ReadonlyArray<readonly [number, Call, LagoError.LagoError["_tag"]]> = [
          [401, (lago) => lago.customers.find("acme"), "LagoUnauthorizedError"],
          [404, (lago) => lago.customers.find("acme"), "LagoNotFoundError"],
          [404, (lago) => lago.customers.destroy("acme"), "LagoNotFoundError"],
          [404, (lago) => lago.customers.getPortalUrl("acme"), "LagoNotFoundError"],
          [
            404,
            (lago) => lago.customers.findCurrentUsage("acme", { external_subscription_id: "s" }),
            "LagoNotFoundError"
          ],
          [
            404,
            (lago) => lago.customers.deleteAppliedCoupon("acme", "1a901a90-1a90-1a90-1a90-1a901a901a90"),
            "LagoNotFoundError"
          ],
          [400, (lago) => lago.customers.create({ external_id: "a" }), "LagoBadRequestError"],
          [422, (lago) => lago.customers.create({ external_id: "a" }), "LagoValidationError"],
          [401, (lago) => lago.customers.findAll(), "LagoUnauthorizedError"],
          [404, (lago) => lago.customers.findAllAppliedCoupons("acme"), "LagoNotFoundError"],
          [
            403,
            (lago) => lago.customers.findProjectedUsage("acme", { external_subscription_id: "s" }),
            "LagoForbiddenError"
          ],
          [
            404,
            (lago) => lago.customers.findProjectedUsage("acme", { external_subscription_id: "s" }),
            "LagoNotFoundError"
          ],
          [
            422,
            (lago) => lago.customers.findAllPastUsage("acme", { external_subscription_id: "s" }),
            "LagoValidationError"
          ],
          [404, (lago) => lago.customers.generateCheckoutUrl("acme"), "LagoNotFoundError"],
          [422, (lago) => lago.customers.generateCheckoutUrl("acme"), "LagoValidationError"]
        ]
        for (const [code, call, tag] of cases) {
          const lago = yield* clientPreferring(code)
          const error = yield* Effect.flip(call(lago))
          expect([code, error._tag]).toEqual([code, tag])
          expect("status" in error && error.status).toBe(code)
        }
      }))
  })
})

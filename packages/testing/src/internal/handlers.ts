/**
 * Lago's customers operations over the store, one handler per row of the client's table:
 * each reads a request as the server would (path parameters, query, JSON body), runs it on the
 * store, and answers the body Lago sends (encoded with the operation's own schema), or its
 * failure. The test layer decodes that body as the live client does; the fake serves it.
 */
import type { LagoOperation } from "@lago-effect/client"
import { Customers } from "@lago-effect/client"
import { CustomerInput } from "@lago-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { LagoStoreService } from "../LagoStore.js"
import type { LagoStoreFailure } from "./failures.js"
import { badRequest, validationFailure } from "./failures.js"
import * as Query from "./query.js"

/** Answers one request: the encoded 2xx body, or Lago's failure. */
export type Handler = (request: LagoOperation.Request) => Effect.Effect<unknown, LagoStoreFailure>

const operations = Customers.operations

/** Encodes a value with the operation's schema: a store that cannot is a bug, not a failure. */
const answer = <A, I>(operation: { readonly response: LagoOperation.Response<A, I> }) =>
<E>(
  effect: Effect.Effect<A, E>
): Effect.Effect<I, E> => Effect.flatMap(effect, (value) => Effect.orDie(operation.response.encode(value)))

const decodeInput = Schema.decodeUnknownEither(CustomerInput.CustomerInput, { errors: "all" })

/** Lago's 422 for an input that does not decode: the first key of each failing path. */
const inputFailure = (error: ParseResult.ParseError, raw: unknown) => {
  const details: Record<string, Array<string>> = {}
  const id = typeof raw === "object" && raw !== null && "external_id" in raw ? raw.external_id : undefined
  if (typeof id !== "string" || id.trim() === "") details.external_id = ["value_is_mandatory"]
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "base"
    details[key] ??= ["value_is_invalid"]
  }
  return validationFailure(details)
}

/** The `customer` object of a create body (Lago does not wrap parameters), decoded. */
const readInput = (body: unknown): Either.Either<CustomerInput.CustomerInput, LagoStoreFailure> => {
  const customer = typeof body === "object" && body !== null && "customer" in body ? body.customer : undefined
  if (typeof customer !== "object" || customer === null || Array.isArray(customer)) {
    return Either.left(badRequest("param is missing or the value is empty or invalid: customer"))
  }
  return Either.mapLeft(decodeInput(customer), (error) => inputFailure(error, customer))
}

/** The `n`th path parameter. */
const param = (request: LagoOperation.Request, n: number) => request.params[n] ?? ""

/**
 * The handlers, by Lago operation id. The record's type names every operation of the table:
 * an operation without its behaviour here does not compile.
 */
export const makeHandlers = (store: LagoStoreService): Readonly<Record<Customers.OperationId, Handler>> => ({
  [operations.create.id]: (request) => answer(operations.create)(Effect.flatMap(readInput(request.body), store.upsert)),
  [operations.findAll.id]: (request) =>
    answer(operations.findAll)(Effect.flatMap(Query.findAll(request.query), store.list)),
  [operations.find.id]: (request) => answer(operations.find)(store.find(param(request, 0))),
  [operations.destroy.id]: (request) => answer(operations.destroy)(store.destroy(param(request, 0))),
  [operations.findCurrentUsage.id]: (request) =>
    answer(operations.findCurrentUsage)(store.currentUsage(param(request, 0), Query.currentUsage(request.query))),
  [operations.findProjectedUsage.id]: (request) =>
    answer(operations.findProjectedUsage)(
      store.projectedUsage(param(request, 0), Query.projectedUsage(request.query))
    ),
  [operations.findAllPastUsage.id]: (request) =>
    answer(operations.findAllPastUsage)(
      Effect.flatMap(Query.pastUsage(request.query), (query) => store.pastUsage(param(request, 0), query))
    ),
  [operations.getPortalUrl.id]: (request) => answer(operations.getPortalUrl)(store.portalUrl(param(request, 0))),
  [operations.generateCheckoutUrl.id]: (request) =>
    answer(operations.generateCheckoutUrl)(store.checkoutUrl(param(request, 0))),
  [operations.findAllAppliedCoupons.id]: (request) =>
    answer(operations.findAllAppliedCoupons)(
      store.listAppliedCoupons(param(request, 0), Query.appliedCoupons(request.query))
    ),
  [operations.deleteAppliedCoupon.id]: (request) =>
    answer(operations.deleteAppliedCoupon)(store.deleteAppliedCoupon(param(request, 0), param(request, 1)))
})

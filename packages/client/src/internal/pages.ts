/**
 * Every page of `GET /customers`, as a stream: follows `meta.next_page`, reads ahead, and
 * with `concurrency > 1` fetches later pages in parallel once `total_pages` is known.
 */
import type { CustomersPage, LagoError } from "@lago-effect/core"
import { Effect, Option, Stream } from "effect"
import type { CustomersFilters, FindAllQuery } from "../CustomersQuery.js"

/** Options of `pages` and `stream`. */
export interface PagesOptions extends CustomersFilters {
  /** Customers per page. Default 100 (Lago's own default). */
  readonly perPage?: number | undefined
  /** Pages fetched ahead of the consumer. Default 1. */
  readonly prefetch?: number | undefined
  /** Pages fetched in parallel once the first page told how many there are. Default 1. */
  readonly concurrency?: number | undefined
}

/** Streams every page, in order. */
export const pages = (
  findAll: (query: FindAllQuery) => Effect.Effect<CustomersPage.CustomersPage, LagoError.LagoError>,
  options: PagesOptions = {}
): Stream.Stream<CustomersPage.CustomersPage, LagoError.LagoError> => {
  const { concurrency = 1, perPage = 100, prefetch = 1, ...filters } = options
  const fetch = (page: number) => findAll({ ...filters, page, per_page: perPage })

  const rest = (
    first: CustomersPage.CustomersPage
  ): Stream.Stream<CustomersPage.CustomersPage, LagoError.LagoError> => {
    const next = first.meta.next_page
    if (next === null || next === undefined) return Stream.empty
    if (concurrency <= 1) {
      return Stream.paginateEffect(
        next,
        (page) => Effect.map(fetch(page), (result) => [result, Option.fromNullable(result.meta.next_page)] as const)
      )
    }
    // Pages 2..total_pages are known up front: fetch them in parallel, emit them in order,
    // and stop at the first page that says it is the last (the list may have shrunk).
    return Stream.range(next, Math.max(next, first.meta.total_pages)).pipe(
      Stream.rechunk(1),
      Stream.mapEffect(fetch, { concurrency }),
      Stream.takeUntil((page) => page.meta.next_page === null || page.meta.next_page === undefined)
    )
  }

  const all = Stream.unwrap(
    Effect.map(fetch(1), (first) => Stream.concat(Stream.succeed(first), rest(first)))
  )
  return prefetch > 0 ? Stream.buffer(all, { capacity: prefetch }) : all
}

/**
 * Lago's routes, from the client's table of operations, matched as Rails matches them on the
 * raw (percent-encoded) path: a parameter stops at a literal dot, and what follows is a format,
 * allowed on the last segment only. So `/customers/acme.com` is customer `acme`, and a dotted
 * id before a nested route matches nothing.
 */
import { Customers, LagoOperation } from "@lago-effect/client"

/** A request matched to an operation, with its path parameters decoded. */
export interface Route {
  readonly operation: LagoOperation.Info & { readonly id: Customers.OperationId }
  readonly params: ReadonlyArray<string>
}

const routes = Object.values(Customers.operations)

const safeDecode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/** A raw parameter segment's value: before the first dot, which only the last segment may have. */
const paramValue = (raw: string, last: boolean): string | undefined => {
  const [value, ...format] = raw.split(".")
  if (format.length > 0 && !last) return undefined
  return value === "" ? undefined : safeDecode(value)
}

const matchOne = (
  operation: Route["operation"],
  method: string,
  raw: ReadonlyArray<string>
): Route | undefined => {
  if (operation.method !== method || operation.path.length !== raw.length) return undefined
  const params: Array<string> = []
  for (const [i, segment] of operation.path.entries()) {
    if (LagoOperation.isParam(segment)) {
      const value = paramValue(raw[i], i === raw.length - 1)
      if (value === undefined) return undefined
      params.push(value)
    } else if (segment !== raw[i]) {
      return undefined
    }
  }
  return { operation, params }
}

/** The operation a method and raw path segments (after `/api/v1/`) reach, if any. */
export const match = (method: string, raw: ReadonlyArray<string>): Route | undefined => {
  for (const operation of routes) {
    const route = matchOne(operation, method, raw)
    if (route !== undefined) return route
  }
  return undefined
}

/** Decodes a raw segment for logs and fault rules, keeping it raw when it does not decode. */
export const decodeSegment = (segment: string): string => safeDecode(segment) ?? segment

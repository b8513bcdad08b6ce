/**
 * An `HttpClient` made for streaming large lists, over `fetch` (`layer`) or undici's `request`
 * API (`layerUndici`, `makeUndici`): each response body is read once and never kept by the
 * client, so a page's text lives no longer than the code that uses it.
 *
 * Why it exists. `@effect/platform`'s responses keep a body's text in a cached effect, and the
 * runtime reaches the promise of a body read from the effect awaiting it. Both live for the
 * whole read, long enough to be moved to V8's old generation; the text written into them then
 * survives every young collection until the next full one. Listing 20,000 customers keeps about
 * 35 MB of page texts alive that way (peak RSS ~1.75x that of plain `fetch` code, ~1.5x here;
 * on much longer streams the peak is V8's heap limit either way, reached with fewer full
 * collections here). Here the text is handed from the transport's promise straight to the
 * fiber: nothing long-lived holds it.
 *
 * The trade-off: a body is read once. A second read of the same response (`text` after `json`,
 * `stream` after `text`) fails with a `ResponseError` instead of returning a cached copy.
 * `LagoClient` reads each body once; for other uses keep the value you read.
 *
 * `layer` uses the `FetchHttpClient.Fetch` and `FetchHttpClient.RequestInit` services when they
 * are provided, as `FetchHttpClient` does, and runs wherever `fetch` does. `layerUndici` needs
 * the `undici` package and is the faster of the two on Node. Under `LagoClient` neither follows
 * a redirect.
 *
 * `LagoClient` given one of these clients as made (not transformed with `HttpClient.mapRequest`
 * and the like) sends through it directly, skipping the platform's per-request machinery: about
 * half the cost of a call that does not wait on the network. A transformed client works too,
 * through `HttpClient.execute`, its transformations applied.
 *
 * @example
 * ```ts
 * import { LagoClient, LagoHttpClient } from "@lago-effect/client"
 * import { Layer } from "effect"
 *
 * // Node, with `npm install undici@7`; or LagoHttpClient.layer anywhere fetch runs.
 * const Lago = LagoClient.layerConfig().pipe(Layer.provide(LagoHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 */
import * as Cookies from "@effect/platform/Cookies"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Body from "./internal/body.js"
import * as Direct from "./internal/direct.js"
import { redirectedTo } from "./internal/redirect.js"
import * as UndiciAgent from "./internal/undiciAgent.js"

type Fetch = typeof globalThis.fetch

/** What `fetch` accepts as a request body. */
type BodyInit = NonNullable<RequestInit["body"]>

/**
 * Awaits `promise` in an effect that forgets it once it has hooked it. The runtime keeps the
 * effect (through the closure it calls the register with) for as long as the read runs: had
 * the register kept the promise, the value it resolves with would be written into an object
 * that has had time to reach the old generation, and would live until a full collection.
 */
const awaitOnce = <A, E>(promise: Promise<A>, onError: (cause: unknown) => E): Effect.Effect<A, E> => {
  let pending: Promise<A> | undefined = promise
  return Effect.async<A, E>((resume) => {
    const hooked = pending
    pending = undefined
    if (hooked === undefined) return resume(Effect.fail(onError(new Error("the promise was already awaited"))))
    hooked.then(
      (value) => resume(Effect.succeed(value)),
      (cause) => resume(Effect.fail(onError(cause)))
    )
  })
}

/**
 * Sends when the effect runs (`start`) and hands the transport's answer to the fiber as a
 * response; a transport failure (or a `start` that throws) is a `Transport` request error.
 */
const sendWith = <R>(
  request: HttpClientRequest.HttpClientRequest,
  start: () => Promise<R>,
  toResponse: (request: HttpClientRequest.HttpClientRequest, answer: R) => HttpClientResponse.HttpClientResponse
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const failed = (cause: unknown) =>
      resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
    try {
      start().then((answer) => resume(Effect.succeed(toResponse(request, answer))), failed)
    } catch (cause) {
      failed(cause)
    }
  })

/** What a response's body can do, whatever the transport (a web `Response`, undici's body). */
interface Body {
  text(): Promise<string>
  arrayBuffer(): Promise<ArrayBuffer>
  formData(): Promise<FormData>
}

/** How a transport streams its body: `undefined` for a response without one. */
type ToStream<B> = (
  body: B,
  onError: (cause: unknown) => HttpClientError.ResponseError
) => Stream.Stream<Uint8Array, HttpClientError.ResponseError> | undefined

const readText = (body: Body): Promise<string> => body.text()
const readArrayBuffer = (body: Body): Promise<ArrayBuffer> => body.arrayBuffer()
const readFormData = (body: Body): Promise<FormData> => body.formData()

/** A response whose body can be read once; reading it forgets the body. */
class ReadOnceResponse<B extends Body> extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private body: B | undefined
  private cachedCookies: Cookies.Cookies | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    readonly headers: Headers.Headers,
    private readonly setCookies: ReadonlyArray<string>,
    body: B,
    private readonly toStream: ToStream<B>
  ) {
    super()
    this.body = body
  }

  get cookies(): Cookies.Cookies {
    return this.cachedCookies ??= Cookies.fromSetCookie(this.setCookies)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private error(reason: "Decode" | "EmptyBody", cause: unknown, description?: string) {
    return new HttpClientError.ResponseError({
      request: this.request,
      response: this,
      reason,
      cause,
      ...(description === undefined ? {} : { description })
    })
  }

  private alreadyRead() {
    return this.error("Decode", undefined, "the body was already read (LagoHttpClient reads a body once)")
  }

  /** The body, handed out once: after that this object no longer reaches it. */
  private take(): B | undefined {
    const body = this.body
    this.body = undefined
    return body
  }

  private read<A>(f: (body: Body) => Promise<A>): Effect.Effect<A, HttpClientError.ResponseError> {
    return Effect.suspend(() => {
      const body = this.take()
      return body === undefined
        ? Effect.fail(this.alreadyRead())
        : awaitOnce(f(body), (cause) => this.error("Decode", cause))
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return this.read(readText)
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: (): unknown => text === "" ? null : JSON.parse(text),
        catch: (cause) => this.error("Decode", cause)
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => this.error("Decode", cause)
      }))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return this.read(readArrayBuffer)
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return this.read(readFormData)
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      const body = this.take()
      if (body === undefined) return Stream.fail(this.alreadyRead())
      return this.toStream(body, (cause) => this.error("Decode", cause)) ??
        Stream.fail(this.error("EmptyBody", undefined, "can not create stream from empty body"))
    })
  }

  toJSON(): unknown {
    // Not `HttpIncomingMessage.inspect`: it reads the body to show it, which would use it up.
    return {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status,
      headers: Inspectable.redact(this.headers),
      remoteAddress: this.remoteAddress.toJSON()
    }
  }
}

const webStream: ToStream<Response> = (response, onError) => {
  const body = response.body
  return body === null ? undefined : Stream.fromReadableStream(() => body, onError)
}

const fromWeb = (request: HttpClientRequest.HttpClientRequest, response: Response) => {
  // A fetch that followed a redirect answered another request: say which (its URL).
  const followed = redirectedTo(response)
  return new ReadOnceResponse(
    followed === undefined ? request : HttpClientRequest.setUrl(request, followed),
    response.status,
    Headers.fromInput(response.headers),
    response.headers.getSetCookie(),
    response,
    webStream
  )
}

/**
 * A response of `LagoClient`'s direct lane: read within a limit as `Body.plan` says, or
 * discarded. Its `headers` are made when first asked for: a call answered with its value reads
 * only the two the plan needs, straight from the transport's response.
 */
abstract class DirectAnswer implements Direct.DirectResponse {
  abstract readonly status: number
  private built: Headers.Headers | undefined

  get headers(): Headers.Headers {
    return this.built ??= this.allHeaders()
  }

  read(limit: number): Promise<string | typeof Body.tooLarge> {
    switch (Body.plan(this.header("content-length"), this.header("content-encoding"), limit)) {
      case "TooLarge":
        this.discard()
        return Promise.resolve(Body.tooLarge)
      case "Empty":
        return Promise.resolve("")
      case "Whole":
        return this.whole()
      case "Chunks":
        return this.chunks(limit)
    }
  }

  /** The value of the header `name` (lower case), as `headers` would have it. */
  protected abstract header(name: string): string | undefined
  protected abstract allHeaders(): Headers.Headers
  /** The body in one piece: its length was announced, within the limit. */
  protected abstract whole(): Promise<string>
  protected abstract chunks(limit: number): Promise<string | typeof Body.tooLarge>
  abstract discard(): void
}

/** A web response for `LagoClient`'s direct lane. */
class WebAnswer extends DirectAnswer {
  readonly status: number
  readonly redirectedTo: string | undefined

  constructor(private readonly response: Response) {
    super()
    this.status = response.status
    this.redirectedTo = redirectedTo(response)
  }

  protected header(name: string): string | undefined {
    return this.response.headers.get(name) ?? undefined
  }

  protected allHeaders(): Headers.Headers {
    return Headers.fromInput(this.response.headers)
  }

  protected whole(): Promise<string> {
    return this.response.text()
  }

  protected chunks(limit: number): Promise<string | typeof Body.tooLarge> {
    const body = this.response.body
    return body === null ? Promise.resolve("") : Body.readChunks(body, limit)
  }

  discard(): void {
    Body.discardWeb(this.response)
  }
}

/**
 * `LagoClient`'s direct lane over `fetch`: the same request `make` sends, with the `Fetch` and
 * `RequestInit` of the calling fiber, else of the layer, else the global `fetch`. The layer's
 * services are looked up once; a call only looks in its fiber's.
 */
const fetchDirect = (layerContext: Context.Context<never>): Direct.DirectSend => {
  const layerFetch = Context.getOrElse(layerContext, FetchHttpClient.Fetch, noService)
  const layerOptions = Context.getOrElse(layerContext, FetchHttpClient.RequestInit, noService)
  return async (request, context) => {
    const fetch: Fetch = Context.getOrElse(context, FetchHttpClient.Fetch, noService) ?? layerFetch ?? globalThis.fetch
    const options = Context.getOrElse(context, FetchHttpClient.RequestInit, noService) ?? layerOptions
    let headers: Readonly<Record<string, string>> = request.json === undefined
      ? request.headers
      : { ...request.headers, "content-type": "application/json" }
    if (options?.headers !== undefined) {
      headers = { ...Headers.fromInput(new globalThis.Headers(options.headers)), ...headers }
    }
    const init: RequestInit = {
      method: request.method,
      headers,
      body: request.json ?? null,
      redirect: "manual",
      signal: request.abort.signal
    }
    const response = await fetch(request.url, options === undefined ? init : { ...options, ...init })
    return new WebAnswer(response)
  }
}

/** A service not provided: `undefined`, without allocating an `Option`. */
const noService = (): undefined => undefined

const isBodyInit = (body: unknown): body is BodyInit =>
  typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer ||
  body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams ||
  body instanceof ReadableStream

/**
 * The client: sends with the `fetch` of `FetchHttpClient.Fetch` (or the global one) and the
 * options of `FetchHttpClient.RequestInit`, and answers with responses read once.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make: HttpClient.HttpClient = Direct.register(
  HttpClient.make((request, url, signal, fiber) => {
    const context = fiber.getFiberRef(FiberRef.currentContext)
    const fetch: Fetch = Option.getOrElse(Context.getOption(context, FetchHttpClient.Fetch), () => globalThis.fetch)
    const options: RequestInit = Option.getOrElse(Context.getOption(context, FetchHttpClient.RequestInit), () => ({}))
    let headers = options.headers === undefined
      ? request.headers
      : Headers.merge(Headers.fromInput(new globalThis.Headers(options.headers)), request.headers)
    // fetch frames the body itself; a stated length would contradict a streamed one.
    if (headers["content-length"] !== undefined) headers = Headers.remove(headers, "content-length")
    const send = (body: BodyInit | undefined) =>
      sendWith(
        request,
        () =>
          fetch(url, {
            ...options,
            method: request.method,
            headers,
            body: body ?? null,
            // Node's fetch needs it to send a stream.
            ...(request.body._tag === "Stream" ? { duplex: "half" as const } : {}),
            signal
          }),
        fromWeb
      )
    const body = request.body
    switch (body._tag) {
      case "Empty":
        return send(undefined)
      case "Uint8Array":
        return send(body.body)
      case "FormData":
        return send(body.formData)
      case "Raw":
        return isBodyInit(body.body) ? send(body.body) : Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Encode",
            description: "a raw body fetch cannot send (not a string, bytes, Blob, FormData or stream)"
          })
        )
      case "Stream":
        return Effect.flatMap(Stream.toReadableStreamEffect(body.stream), send)
    }
  }),
  fetchDirect(Context.empty())
)

/**
 * `make` as the `HttpClient` service. `FetchHttpClient.Fetch` and `FetchHttpClient.RequestInit`
 * given to the layer itself apply to every request, as with `FetchHttpClient.layer`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(Effect.context<never>(), (layerContext) =>
    Direct.register(
      // As `HttpClient.layerMergedContext`: the layer's services under the caller's.
      HttpClient.transformResponse(
        make,
        Effect.mapInputContext((input: Context.Context<never>) => Context.merge(layerContext, input))
      ),
      fetchDirect(layerContext)
    ))
)

/**
 * The `request` options `makeUndici` gives an undici dispatcher (a loose view of undici's own
 * `Dispatcher.RequestOptions`, so that this package needs no undici types).
 *
 * @category models
 * @since 0.1.0
 */
export interface UndiciRequestOptions {
  readonly origin?: string | URL
  readonly path: string
  readonly method: string
  readonly headers?: unknown
  readonly body?: unknown
  /**
   * What aborts the request, as undici takes it: an `AbortSignal`, or (for `LagoClient`'s own
   * calls) an object undici listens to as to one (`aborted`, `addEventListener("abort", ...)`),
   * cheaper to make on Node 20.
   */
  readonly signal?: unknown
  readonly headersTimeout?: number | null
  readonly bodyTimeout?: number | null
}

/**
 * A response body as undici hands it over: a Node stream that can also read itself whole.
 *
 * @category models
 * @since 0.1.0
 */
export interface UndiciBody extends Body, AsyncIterable<Uint8Array> {
  on(event: "error", listener: (error: Error) => void): unknown
  /** Stops the body unread (undici's body is a Node `Readable`): releases the connection. */
  destroy(error?: Error): unknown
}

/**
 * What undici's `request` resolves with, as far as `makeUndici` reads it.
 *
 * @category models
 * @since 0.1.0
 */
export interface UndiciResponseData {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: UndiciBody
}

/**
 * What `makeUndici` needs of an undici `Dispatcher` (an `Agent`, a `Pool`, a `ProxyAgent`, the
 * global dispatcher): its promise-returning `request`.
 *
 * @category models
 * @since 0.1.0
 */
export interface UndiciDispatcher {
  request(options: UndiciRequestOptions): Promise<UndiciResponseData>
}

const undiciStream: ToStream<UndiciBody> = (body, onError) => Stream.fromAsyncIterable(body, onError)

const fromUndici = (
  request: HttpClientRequest.HttpClientRequest,
  { body, headers, statusCode }: UndiciResponseData
) => {
  body.on("error", Body.ignore)
  const setCookie = headers["set-cookie"]
  return new ReadOnceResponse(
    request,
    statusCode,
    Headers.fromInput(headers),
    setCookie === undefined ? [] : typeof setCookie === "string" ? [setCookie] : setCookie,
    body,
    undiciStream
  )
}

/** An undici response for `LagoClient`'s direct lane. */
class UndiciAnswer extends DirectAnswer {
  readonly status: number

  constructor(private readonly data: UndiciResponseData) {
    super()
    this.status = data.statusCode
    data.body.on("error", Body.ignore)
  }

  protected header(name: string): string | undefined {
    const value = this.data.headers[name]
    return value === undefined || typeof value === "string" ? value : value.join(", ")
  }

  protected allHeaders(): Headers.Headers {
    return Headers.fromInput(this.data.headers)
  }

  protected whole(): Promise<string> {
    return this.data.body.text()
  }

  protected chunks(limit: number): Promise<string | typeof Body.tooLarge> {
    return Body.readChunks(this.data.body, limit)
  }

  discard(): void {
    this.data.body.destroy()
  }
}

/** Undici's `request` time-outs, set out of the way: time-outs are Effect's. */
const undiciTimeouts = { headersTimeout: 60 * 60 * 1000, bodyTimeout: 0 } as const

/** `LagoClient`'s direct lane over an undici dispatcher: the same request `makeUndici` sends. */
const undiciDirectSend = (dispatcher: UndiciDispatcher): Direct.DirectSend => async (request) =>
  new UndiciAnswer(
    await dispatcher.request({
      origin: request.origin,
      path: request.path,
      method: request.method,
      headers: request.json === undefined
        ? request.headers
        : { ...request.headers, "content-type": "application/json" },
      body: request.json ?? null,
      signal: request.abort,
      headersTimeout: undiciTimeouts.headersTimeout,
      bodyTimeout: undiciTimeouts.bodyTimeout
    })
  )

const isUndiciBody = (body: unknown): boolean =>
  typeof body === "string" || body instanceof Uint8Array || body instanceof FormData ||
  (typeof body === "object" && body !== null && Symbol.asyncIterator in body)

/**
 * The same client over an undici dispatcher of yours, with the `request` API rather than
 * `fetch`: less work per request and per chunk (on Node, the fastest way to stream a long
 * list). Time-outs are left to Effect (`LagoClient`'s per attempt and per call): undici's own
 * are set out of the way. Redirects are never followed.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeUndici = (dispatcher: UndiciDispatcher): HttpClient.HttpClient =>
  Direct.register(
    HttpClient.make((request, url, signal) => {
      const send = (body: unknown, contentType?: string) =>
        sendWith(
          request,
          () =>
            dispatcher.request({
              origin: url.origin,
              path: `${url.pathname}${url.search}`,
              method: request.method,
              headers: contentType === undefined
                ? request.headers
                : Headers.set(request.headers, "content-type", contentType),
              body,
              signal,
              ...undiciTimeouts
            }),
          fromUndici
        )
      const body = request.body
      switch (body._tag) {
        case "Empty":
          return send(null)
        case "Uint8Array":
          return send(body.body)
        case "FormData": {
          // undici's request cannot encode the runtime's FormData (another copy of undici made
          // it): the runtime's Response encodes it, and its bytes are streamed.
          const encoded = new Response(body.formData)
          const type = encoded.headers.get("content-type")
          return send(encoded.body, type === null ? undefined : type)
        }
        case "Raw":
          return isUndiciBody(body.body) ? send(body.body) : Effect.fail(
            new HttpClientError.RequestError({
              request,
              reason: "Encode",
              description: "a raw body undici cannot send (not a string, bytes, FormData or async iterable)"
            })
          )
        case "Stream":
          return Effect.flatMap(Stream.toAsyncIterableEffect(body.stream), send)
      }
    }),
    undiciDirectSend(dispatcher)
  )

/**
 * `makeUndici` over an undici `Agent` of its own, closed with the layer. Needs the `undici`
 * package (`npm install undici@7`; undici 8 too, on Node 22.19 or later), loaded only when this
 * layer is built, and then only what an `Agent` and its `request` need (about a third of the
 * package's start-up on Node 20; the whole package if that part cannot be loaded alone).
 *
 * @category layers
 * @since 0.1.0
 */
export const layerUndici: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(
    Effect.acquireRelease(
      Effect.tryPromise({
        // Undici's `Agent` and `request` alone when they can be loaded so (a fraction of the
        // package's start-up), else its entry point.
        try: () => UndiciAgent.load(),
        catch: (cause) =>
          new Error("LagoHttpClient.layerUndici needs the undici package (npm install undici@7)", { cause })
      }).pipe(Effect.orDie),
      (agent) => Effect.promise(() => agent.destroy())
    ),
    makeUndici
  )
)

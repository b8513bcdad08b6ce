/**
 * What aborts one attempt's request in the direct lane.
 *
 * Why: on Node 20 an `AbortController`'s signal costs about 3 µs to make (it is made transferable
 * between threads) and several more in the listeners undici hangs on it, against a call's few
 * tens of µs. Undici's `request` takes any object that looks like an event target with an
 * `aborted` flag, so the undici lane is handed this one, a few fields; `fetch` insists on a real
 * `AbortSignal`, which is made (and follows this one) when the fetch lane asks for `signal`.
 */
export class AttemptAbort {
  /** Whether `abort` was called: undici reads it before listening. */
  aborted = false
  /** Undici reads it when aborted, and makes its own `RequestAbortedError` when there is none. */
  readonly reason: undefined = undefined
  private listeners: Array<() => void> | undefined
  private controller: AbortController | undefined

  /** A web `AbortSignal` aborted with this (made when first asked for: `fetch` needs one). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController()
      if (this.aborted) this.controller.abort()
    }
    return this.controller.signal
  }

  /** Listens for the abort, once, as an `EventTarget` would (undici's `request`). */
  addEventListener(type: string, listener: () => void): void {
    if (type !== "abort") return
    if (this.listeners === undefined) this.listeners = [listener]
    else if (!this.listeners.includes(listener)) this.listeners.push(listener)
  }

  removeEventListener(type: string, listener: () => void): void {
    if (type !== "abort" || this.listeners === undefined) return
    const index = this.listeners.indexOf(listener)
    if (index >= 0) this.listeners.splice(index, 1)
  }

  /** Forgets the listeners: the attempt has ended, its request has nothing left to abort. */
  release(): void {
    this.listeners = undefined
  }

  /**
   * Aborts the request, once: every listener is told, then the web signal if one was made. A
   * listener that throws (a custom dispatcher's) stops neither the others nor the signal, and
   * its error goes no further: the attempt has already ended (timed out, or its call was
   * interrupted), and abort is called from the call's exit handler or a timer, where it would
   * become a defect of the caller's fiber or break the timer's other deadlines.
   */
  abort(): void {
    if (this.aborted) return
    this.aborted = true
    const listeners = this.listeners
    this.listeners = undefined
    if (listeners !== undefined) {
      for (const listener of listeners) {
        try {
          listener()
        } catch {
          // Told all the same: see above.
        }
      }
    }
    this.controller?.abort()
  }
}

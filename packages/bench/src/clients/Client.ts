/** What every benchmarked client does, for the runner. */
export interface BenchClient {
  /** Reads the whole list; resolves to the number of customers read. */
  readonly list: (options: Readonly<Record<string, number>> | undefined) => Promise<number>
  /** Finds each id, at most `concurrency` calls in flight. */
  readonly finds: (ids: ReadonlyArray<string>, concurrency: number) => Promise<void>
  readonly close: () => Promise<void>
}

/** Runs `call(i)` for every i below `count`, at most `concurrency` at once. */
export const pool = async (count: number, concurrency: number, call: (i: number) => Promise<unknown>) => {
  let next = 0
  const worker = async () => {
    while (next < count) await call(next++)
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/** The API key every benchmarked client sends. */
export const KEY = "bench_key"

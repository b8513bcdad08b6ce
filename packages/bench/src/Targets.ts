/**
 * The performance targets the benchmark reports against, judged from one run's medians: for
 * each, the figure, what the target asks, and whether the figure reaches it. Printed and
 * written with the tables; a benchmark reports, no test asserts a timing.
 *
 * Ratios are to the floor of the same scenario (raw `fetch` + `JSON.parse`, per_page 100).
 * What the table does not judge: that S4's memory is flat after the first pages (its growth is
 * shown; a full collection late in a run makes it jump without any retention), and that
 * nothing is allocated per call that could be built once per client (a property of the code).
 */

/** A row of a scenario, as the scenarios name it. */
export interface RowRef {
  readonly label: string
}

/** The median of `key` over the runs of `row` in `scenario`; `undefined` when it did not run. */
export type MedianOf = (scenario: string, row: RowRef, key: string) => number | undefined

/** The rows the targets read. */
export interface Rows {
  /** Raw `fetch` + `JSON.parse`, per_page 100: every ratio's denominator. */
  readonly floor: RowRef
  /** The floor with this client loaded: what loading it costs, shown beside the peak RSS. */
  readonly loadedFloor: RowRef
  readonly official: RowRef
  /** `stream()` with no options, over each undici transport. */
  readonly defaults: ReadonlyArray<RowRef>
  /** The floor's settings (per_page 100) over `LagoHttpClient.layerUndici`, one and eight pages in flight. */
  readonly floorSettings: ReadonlyArray<RowRef>
  /** The S5 row. */
  readonly micro: RowRef
}

/** One judged figure. */
export interface Verdict {
  readonly target: string
  readonly figure: string
  readonly asks: string
  readonly met: boolean
}

const x = (ratio: number) => `${ratio.toFixed(2)}x`

const thousands = (perSecond: number) => `${Math.round(perSecond / 1000)}k/s`

/** The targets whose scenarios ran, judged. */
export const judge = (median: MedianOf, rows: Rows): ReadonlyArray<Verdict> => {
  const verdicts: Array<Verdict> = []
  const ratio = (scenario: string, row: RowRef, key: string, to: RowRef = rows.floor) => {
    const value = median(scenario, row, key)
    const floor = median(scenario, to, key)
    return value === undefined || floor === undefined || floor <= 0 ? undefined : value / floor
  }
  const atMost = (target: string, row: RowRef, figure: number | undefined, limit: number, more = "") => {
    if (figure !== undefined) {
      verdicts.push({
        target,
        figure: `${row.label}: ${x(figure)}${more}`,
        asks: `<= ${x(limit)}`,
        met: figure <= limit
      })
    }
  }

  // 1. S1: wall and CPU within 1.3x the floor, peak RSS within 1.2x, fully decoded.
  for (const row of [...rows.defaults, ...rows.floorSettings]) {
    atMost("1. S1 wall", row, ratio("S1", row, "wallMs"), 1.3)
    atMost("1. S1 CPU", row, ratio("S1", row, "cpuMs"), 1.3)
    const loaded = ratio("S1", row, "maxRssMiB", rows.loadedFloor)
    atMost(
      "1. S1 peak RSS",
      row,
      ratio("S1", row, "maxRssMiB"),
      1.2,
      loaded === undefined ? "" : ` (${x(loaded)} the loaded floor's)`
    )
  }

  // 2. Decoding: 300,000 populated customers a second, alone and inside the client.
  const decoder = median("S5", rows.micro, "compiledDecodeCustomersPerSecond")
  if (decoder !== undefined) {
    // How fast the machine ran: both rates move together with it, their ratio much less.
    const parse = median("S5", rows.micro, "jsonParseCustomersPerSecond")
    verdicts.push({
      target: "2. Decoder",
      figure: `${thousands(decoder)} (decoding alone${
        parse === undefined ? "" : `; JSON.parse ${thousands(parse)} in the same run`
      })`,
      asks: ">= 300k/s",
      met: decoder >= 300_000
    })
  }
  const pageAbove = median("S5", rows.micro, "lagoPageAboveFloorMicros")
  const findAbove = median("S5", rows.micro, "lagoFindAboveFloorMicros")
  if (pageAbove !== undefined && findAbove !== undefined && pageAbove > findAbove) {
    // A page decodes 99 customers more than a find; the floor parses the same JSON.
    const inside = 99e6 / (pageAbove - findAbove)
    verdicts.push({
      target: "2. Decoding inside the client",
      figure: `${thousands(inside)} (99 customers in a page's ${
        Math.round(pageAbove)
      } µs above the floor less a find's ${Math.round(findAbove)})`,
      asks: ">= 300k/s",
      met: inside >= 300_000
    })
  }

  // 3. A find at most 60 µs above the floor, tracing on.
  if (findAbove !== undefined) {
    const floorFind = median("S5", rows.micro, "floorFindMicros")
    const untraced = median("S5", rows.micro, "lagoUntracedFindAboveFloorMicros")
    const context = [
      untraced === undefined ? undefined : `tracing off ${untraced.toFixed(1)} µs`,
      floorFind === undefined ? undefined : `the floor's find ${floorFind.toFixed(1)} µs`
    ].filter((part) => part !== undefined)
    verdicts.push({
      target: "3. find above the floor, paired",
      figure: `${findAbove.toFixed(1)} µs${context.length === 0 ? "" : ` (${context.join("; ")})`}`,
      asks: "<= 60 µs",
      met: findAbove <= 60
    })
  }

  // 4. S2: stream() with no options 3x faster than the official client, within Lago Cloud's limit.
  for (const row of rows.defaults) {
    const ours = median("S2", row, "wallMs")
    const official = median("S2", rows.official, "wallMs")
    if (ours === undefined || official === undefined) continue
    const limited = median("S2", row, "limited") ?? 0
    const peak = median("S2", row, "peakPerSecond") ?? 0
    verdicts.push({
      target: "4. S2 speed-up over the official client",
      figure: `${row.label}: ${(official / ours).toFixed(1)}x (${Math.round(ours)} ms against ${
        Math.round(official)
      }), ${limited} 429s, at most ${peak} requests/s`,
      asks: ">= 3x, no 429, <= 50 requests/s",
      met: official / ours >= 3 && limited === 0 && peak <= 50
    })
  }

  // 5. S4: peak RSS within 1.3x the floor's, sequential and concurrent.
  for (const row of [...rows.defaults, ...rows.floorSettings]) {
    const growth = median("S4", row, "rssGrowthMiB")
    atMost(
      "5. S4 peak RSS",
      row,
      ratio("S4", row, "maxRssMiB"),
      1.3,
      growth === undefined ? "" : ` (growth ${growth.toFixed(1)} MiB, not judged)`
    )
  }
  return verdicts
}

/** The verdicts as a Markdown section, or `undefined` when no target's scenario ran. */
export const section = (verdicts: ReadonlyArray<Verdict>): string | undefined =>
  verdicts.length === 0 ? undefined : [
    "### Targets",
    "",
    "Each target judged from this run's medians (ratios to the floor of the same scenario).",
    "",
    "| target | figure | asks | met |",
    "|---|---|---|---|",
    ...verdicts.map((verdict) =>
      `| ${verdict.target} | ${verdict.figure} | ${verdict.asks} | ${verdict.met ? "yes" : "no"} |`
    ),
    ""
  ].join("\n")

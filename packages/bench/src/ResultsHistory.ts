/**
 * Keeps what `RESULTS.md` recorded before a full run: the previous full run's tables and the
 * dated sections written after it (reruns of some scenarios, probes, findings), which a full
 * run does not reproduce.
 */

/** The first line of the document `pnpm bench` writes. */
export const title = "# Benchmark results"

/**
 * `document` (a full run) followed by `previous` (the file it replaces), whose own full run
 * becomes a section, "Full run of <date>": its tables one level down, the sections after it
 * as they were. Full runs therefore read newest first, and what was written after each of
 * them follows it.
 */
export const withHistory = (document: string, previous: string | undefined): string => {
  if (previous === undefined || !previous.startsWith(title)) return document
  const lines = previous.split("\n")
  const date = lines.find((line) => line.startsWith("- Date: "))?.slice("- Date: ".length) ?? "an earlier date"
  const at = lines.find((line) => line.startsWith("- lago-effect at "))?.slice("- ".length)
  const body = lines.slice(1)
  // The earlier run's own sections (its scenarios, and what was added among them) go one level
  // down, under its heading; the dated sections after it (`## `) keep their levels.
  const firstDated = body.findIndex((line) => line.startsWith("## "))
  const run = (firstDated === -1 ? body : body.slice(0, firstDated))
    .map((line) => (line.startsWith("### ") ? `#${line}` : line))
  const rest = firstDated === -1 ? [] : body.slice(firstDated)
  return [
    document.trimEnd(),
    "",
    `## Full run of ${date}${at === undefined ? "" : ` (${at})`}`,
    ...run,
    ...rest
  ].join("\n")
}

/**
 * Text from Lago made safe to print on a terminal. A URL or an error message is the server's
 * text; a terminal reads control characters in it as commands (an escape sequence can retitle
 * the window, rewrite what was printed, or hide text), and bidirectional overrides display it
 * in another order than it reads. Each such character is printed as its escape (`\u001b`),
 * visible and inert. Line breaks are escaped too unless kept: a failure is one line, and a
 * line break from the server would print a second, forged one. An export written to a
 * terminal keeps its line breaks (a CSV's records end with `\r\n`).
 */

/** Whether a character code is a control character (C0 but tab, DEL, C1) or a bidirectional control. */
const isUnsafe = (code: number, keepLineBreaks: boolean, next: number): boolean =>
  (code < 0x20 && code !== 0x09 && !(keepLineBreaks && (code === 0x0a || (code === 0x0d && next === 0x0a)))) ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x061c || code === 0x200e || code === 0x200f ||
  (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)

/**
 * `text` with every control character written as its escape; line breaks (`\n`, `\r\n`) kept
 * when told. A carriage return alone is escaped: it would print over the line.
 */
export const visible = (text: string, options: { readonly keepLineBreaks?: boolean } = {}): string => {
  const keep = options.keepLineBreaks === true
  let out = ""
  let from = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (!isUnsafe(code, keep, text.charCodeAt(i + 1))) continue
    out += `${text.slice(from, i)}\\u${code.toString(16).padStart(4, "0")}`
    from = i + 1
  }
  return from === 0 ? text : out + text.slice(from)
}

/**
 * Text a server wrote, made fit for an error message: one line, of bounded length, that shows
 * what it says and does nothing else where it is printed. A message ends up in log lines and on
 * terminals; a line break in Lago's error text would start a second, forged log line, an escape
 * sequence would act on the terminal (retitle it, clear it, hide text), and a bidirectional
 * override would display the text in another order than it reads. The error's fields keep the
 * text itself; only its message shows it this way.
 */

/**
 * Whether a character code is shown as an escape: a control character (C0 but tab, DEL, C1),
 * a line or paragraph separator, or a bidirectional control.
 */
const isUnsafe = (code: number): boolean =>
  (code < 0x20 && code !== 0x09) ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x061c || code === 0x200e || code === 0x200f || code === 0x2028 || code === 0x2029 ||
  (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)

/** What ends a text cut short. */
const ellipsis = "…"

/**
 * `text` with every unsafe character written as its escape (`\u001b`), cut after `max` of its
 * characters (never inside a surrogate pair) with `…` when longer. Text with nothing to escape
 * and within the bound is returned as it is.
 */
export const inert = (text: string, max: number): string => {
  let end = text.length
  let cut = ""
  if (end > max) {
    // A high surrogate at the cut would leave half a character behind.
    const last = text.charCodeAt(max - 1)
    end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max
    cut = ellipsis
  }
  let out = ""
  let from = 0
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i)
    if (!isUnsafe(code)) continue
    out += `${text.slice(from, i)}\\u${code.toString(16).padStart(4, "0")}`
    from = i + 1
  }
  return from === 0 && cut === "" ? text : out + text.slice(from, end) + cut
}

/**
 * Removing a secret from texts the client did not write itself (transport messages, error
 * bodies, decode issues), before they become part of an error, a log line or a span.
 */

/** What a secret is replaced with. */
export const redacted = "<redacted>"

/**
 * A function that replaces every occurrence of `secret` in a text: as is, JSON-escaped and
 * percent-encoded, the forms in which a server or a transport may echo it.
 */
export const makeScrub = (secret: string): (text: string) => string => {
  const forms = Array.from(new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]))
    .filter((form) => form.length > 0)
  return (text) => {
    let out = text
    for (const form of forms) {
      if (out.includes(form)) out = out.split(form).join(redacted)
    }
    return out
  }
}

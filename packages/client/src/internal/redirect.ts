/**
 * Where a web response came from. A `fetch` that follows a redirect (whatever it was told)
 * answers another request than the one it was given; both lanes refuse another origin's answer,
 * and need its URL to say so.
 */

/** The URL a web response came from, when fetch followed a redirect to get it. */
export const redirectedTo = (response: Response): string | undefined =>
  response.redirected && response.url !== "" ? response.url : undefined

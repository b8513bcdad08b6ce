/** lago-effect over Node's global fetch (`FetchHttpClient.layer`). */
import { FetchHttpClient } from "@effect/platform"
import * as EffectClient from "./effect.js"

export const make = (url: string) => EffectClient.make(url, FetchHttpClient.layer)

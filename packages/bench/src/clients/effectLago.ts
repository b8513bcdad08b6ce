/** lago-effect over its own `LagoHttpClient.layer` (fetch; bodies read once, never kept). */
import { LagoHttpClient } from "@lago-effect/client"
import * as EffectClient from "./effect.js"

export const make = (url: string) => EffectClient.make(url, LagoHttpClient.layer)

/** lago-effect over its own `LagoHttpClient.layerUndici` (undici's request API; bodies read once, never kept). */
import { LagoHttpClient } from "@lago-effect/client"
import * as EffectClient from "./effect.js"

export const make = (url: string) => EffectClient.make(url, LagoHttpClient.layerUndici)

/** lago-effect over undici (`NodeHttpClient.layerUndici`, the npm undici package). */
import { NodeHttpClient } from "@effect/platform-node"
import * as EffectClient from "./effect.js"

export const make = (url: string) => EffectClient.make(url, NodeHttpClient.layerUndici)

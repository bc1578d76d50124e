// The developer's own OpenCode configuration, as far as the local command needs it: the header
// limit the action sets for its model's provider, set for the model that configuration names.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import JSON5 from 'json5'
import { deepMerge, headerTimeouts } from '../opencode/config.js'
import type { OwnOpencode } from '../opencode/home.js'
import type { ReviewSettings } from '../settings.js'

type Json = Record<string, unknown>

/** OpenCode's global config files, later over earlier, then the file OPENCODE_CONFIG names over them. */
const GLOBAL_FILES = ['config.json', 'opencode.json', 'opencode.jsonc']

/** An object in JSON5 (OpenCode's config files, its logins); anything else is nothing: OpenCode reports it its own way. */
export function parseJsonObject(read: () => string): Json {
  try {
    const parsed: unknown = JSON5.parse(read())
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : {}
  } catch {
    return {}
  }
}

function readConfigFile(file: string): Json {
  return parseJsonObject(() => readFileSync(file, 'utf8'))
}

/** The developer's own OpenCode config, as OpenCode merges its files. */
export function ownConfig(own: OwnOpencode, env: NodeJS.ProcessEnv): Json {
  const files = [...GLOBAL_FILES.map((name) => path.join(own.config, name)), env.OPENCODE_CONFIG]
  return files
    .filter((file): file is string => !!file && existsSync(file))
    .reduce((merged, file) => deepMerge(merged, readConfigFile(file)), {})
}

/** Whether the developer's configuration sets a header limit of its own for `provider`. */
function setsOwnLimit(config: Json, provider: string): boolean {
  const providers = config.provider as Record<string, { options?: Json } | undefined> | undefined
  return providers?.[provider]?.options?.headerTimeout !== undefined
}

/**
 * Without --model the server reviews with the model the developer's configuration names, whose
 * provider the action's config knows nothing of: the header limit is added for it, so a provider
 * that never answers fails within it, as in the action. A limit the developer set stays.
 */
export function limitOwnModelHeaders(
  settings: ReviewSettings,
  own: OwnOpencode,
  env: NodeJS.ProcessEnv
): ReviewSettings {
  if (settings.model || settings.config.model) return settings
  const config = ownConfig(own, env)
  const limits = Object.entries(headerTimeouts([config.model])).filter(([provider]) => !setsOwnLimit(config, provider))
  if (limits.length === 0) return settings
  return { ...settings, config: deepMerge({ provider: Object.fromEntries(limits) }, settings.config) }
}

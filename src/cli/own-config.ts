// The developer's own OpenCode configuration, as far as the local command needs it: the model it
// names (the command reviews with no other), its OPENCODE_CONFIG_CONTENT (which the server's own
// replaces, so it is merged into the review's config instead), and the header limit the action sets
// for its model's provider, set for the model that configuration names.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import JSON5 from 'json5'
import { ActionError, errorMessage } from '../errors.js'
import { deepMerge, headerTimeouts, REVIEWER_AGENT } from '../opencode/config.js'
import type { OwnOpencode } from '../opencode/home.js'
import { modelName, type ReviewSettings } from '../settings.js'

type Json = Record<string, unknown>

/** OpenCode's global config files, later over earlier, then the file OPENCODE_CONFIG names over them. */
const GLOBAL_FILES = ['config.json', 'opencode.json', 'opencode.jsonc']

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A file of OpenCode's (a config, its logins): one it cannot read either is left to fail its boot with OpenCode's own message. */
export function readConfigFile(file: string): Json {
  try {
    const parsed: unknown = JSON5.parse(readFileSync(file, 'utf8'))
    return isObject(parsed) ? parsed : {}
  } catch {
    return {}
  }
}

function configFiles(own: OwnOpencode, env: NodeJS.ProcessEnv): string[] {
  return [...GLOBAL_FILES.map((name) => path.join(own.config, name)), env.OPENCODE_CONFIG].filter(
    (file): file is string => !!file && existsSync(file)
  )
}

/** The developer's OpenCode config files, merged as OpenCode merges them. */
export function ownConfigFiles(own: OwnOpencode, env: NodeJS.ProcessEnv): Json {
  return configFiles(own, env).reduce((merged, file) => deepMerge(merged, readConfigFile(file)), {})
}

/** The developer's OPENCODE_CONFIG_CONTENT: OpenCode would refuse to start with one that is not a JSON object. */
function ownConfigContent(env: NodeJS.ProcessEnv): Json {
  const content = env.OPENCODE_CONFIG_CONTENT
  if (!content?.trim()) return {}
  let parsed: unknown
  try {
    parsed = JSON5.parse(content)
  } catch (error) {
    throw new ActionError(`OPENCODE_CONFIG_CONTENT is not valid JSON: ${errorMessage(error)}`)
  }
  if (!isObject(parsed))
    throw new ActionError(`OPENCODE_CONFIG_CONTENT must be a JSON object such as {"model": "provider/model"}.`)
  return parsed
}

/** `provider/model` named by `config` for the agent that reviews: its own model, else the config's. */
function namedIn(config: Json, agent: string): string | undefined {
  const agents = isObject(config.agent) ? config.agent : {}
  const own = isObject(agents[agent]) ? agents[agent].model : undefined
  const model = typeof own === 'string' && own !== '' ? own : config.model
  return typeof model === 'string' && model !== '' ? model : undefined
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
function limitOwnModelHeaders(settings: ReviewSettings, own: OwnOpencode, env: NodeJS.ProcessEnv): ReviewSettings {
  if (settings.model || settings.config.model) return settings
  const config = ownConfigFiles(own, env)
  const limits = Object.entries(headerTimeouts([config.model])).filter(([provider]) => !setsOwnLimit(config, provider))
  if (limits.length === 0) return settings
  return { ...settings, config: deepMerge({ provider: Object.fromEntries(limits) }, settings.config) }
}

/**
 * The review's settings with the developer's own configuration: their OPENCODE_CONFIG_CONTENT under
 * --config (the reviewer's rules go on top of both, as of any config), and the model it names. With
 * no model named anywhere OpenCode would pick one of whatever provider it finds, even one the
 * developer never chose to send code to: the command refuses, before anything starts.
 */
export function withOwnConfig(settings: ReviewSettings, own: OwnOpencode, env: NodeJS.ProcessEnv): ReviewSettings {
  const config = deepMerge(ownConfigContent(env), settings.config)
  const agent = settings.agent ?? REVIEWER_AGENT
  const model =
    (settings.model && modelName(settings.model)) ?? namedIn(config, agent) ?? namedIn(ownConfigFiles(own, env), agent)
  if (model === undefined) {
    throw new ActionError(
      `No model to review with: pass --model provider/model (for example --model anthropic/claude-sonnet-4-5), or set "model" in your OpenCode config (${path.join(own.config, 'opencode.json')}, the file OPENCODE_CONFIG names, or OPENCODE_CONFIG_CONTENT) or in --config. Your code goes to no model you did not name.`
    )
  }
  return limitOwnModelHeaders({ ...settings, config }, own, env)
}

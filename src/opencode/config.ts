import { ActionError } from '../errors.js'
import { modelName, type ReviewSettings } from '../settings.js'
import type { WorkspaceSource } from '../workspace/source.js'
import { TOOL_IDS, WHAT_THE_TOOLS_DO, workspaceServerConfig } from '../workspace/tool.js'
import { credentialVariables, providersOf } from './credentials.js'

/** The built-in agent that reviews unless the `agent` input names another. */
export const REVIEWER_AGENT = 'pr-reviewer'

type Json = Record<string, unknown>

/**
 * What a reviewer may do: read the repository through the workspace's tools, nothing else. Every
 * permission is `allow` or `deny`, never `ask`: a prompt in server mode has nobody to answer it and
 * the review would hang. The last matching pattern wins.
 */
export const READ_ONLY_PERMISSION = {
  '*': 'deny',
  // The action's own tools (src/workspace/): the repository's files, within its rules, and nothing else.
  [TOOL_IDS.read]: 'allow',
  [TOOL_IDS.list]: 'allow',
  [TOOL_IDS.glob]: 'allow',
  [TOOL_IDS.search]: 'allow',
  // How the review's findings come back (see findings.ts); it only hands the answer over.
  StructuredOutput: 'allow',
  // OpenCode's own file tools read the folder it runs in (an empty one), or any file of its project given its
  // path; grep heeds no read rule at all. The workspace's tools read the repository instead.
  read: 'deny',
  glob: 'deny',
  list: 'deny',
  grep: 'deny',
  lsp: 'deny',
  edit: 'deny',
  bash: 'deny',
  task: 'deny',
  todowrite: 'deny',
  question: 'deny',
  webfetch: 'deny',
  websearch: 'deny',
  skill: 'deny',
  doom_loop: 'deny',
  external_directory: 'deny'
} as const

/**
 * Environment for every server: what a boot-time download, an update or a share could open. The
 * project's own opencode.json (and its AGENTS.md walk) stays out for a developer's branch too: the
 * review's config is the action's.
 */
const SERVER_ENVIRONMENT = {
  OPENCODE_DISABLE_PROJECT_CONFIG: '1',
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_SHARE: '1',
  OPENCODE_DISABLE_LSP_DOWNLOAD: '1'
} as const

/**
 * On top, for a pull request's files: each flag as OpenCode 1.18.33 reads it. OpenCode's empty folder
 * holds none of these files; the flags hold should a later OpenCode look elsewhere.
 */
const PULL_REQUEST_ENVIRONMENT = {
  // The Claude Code compatibility: CLAUDE.md files (the project's and ~/.claude/CLAUDE.md) and ~/.claude skills.
  OPENCODE_DISABLE_CLAUDE_CODE: '1',
  // Skills from ~/.agents/ and ~/.claude/.
  OPENCODE_DISABLE_EXTERNAL_SKILLS: '1'
} as const

/**
 * No plugin from outside the working directory (`--pure`: ~/.opencode/plugin/, npm plugins of a config). A
 * `.opencode/plugin(s)/` file in the working directory runs whatever the flags (1.18.33): OpenCode's empty folder has none.
 */
const NO_EXTERNAL_PLUGINS = { OPENCODE_PURE: '1' } as const

/**
 * The server's OpenCode flags. `pullRequest`: it reads a pull request's files. `ownOpencode`: with the
 * developer's own config, whose plugins are the developer's own code (none of the pull request's is
 * ever written out); without it, no plugin from outside the working directory runs.
 */
export function serverEnvironment(posture: { pullRequest: boolean; ownOpencode: boolean }): Record<string, string> {
  return {
    ...SERVER_ENVIRONMENT,
    ...(posture.pullRequest ? PULL_REQUEST_ENVIRONMENT : {}),
    ...(posture.ownOpencode ? {} : NO_EXTERNAL_PLUGINS)
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A question nobody can answer hangs the server: whatever would ask is denied. */
function withoutAsk(permission: unknown): unknown {
  if (permission === 'ask') return 'deny'
  return isObject(permission)
    ? Object.fromEntries(Object.entries(permission).map(([key, value]) => [key, withoutAsk(value)]))
    : permission
}

/** Objects merge key by key; anything else in `over` replaces what is in `under`. */
export function deepMerge(under: Json, over: Json): Json {
  const merged: Json = { ...under }
  for (const [key, value] of Object.entries(over)) {
    merged[key] = isObject(value) && isObject(merged[key]) ? deepMerge(merged[key] as Json, value) : value
  }
  return merged
}

/** A permission given as one word applies to every tool. */
function asObject(permission: unknown): Json {
  if (isObject(permission)) return permission
  return typeof permission === 'string' ? { '*': permission } : {}
}

/** OpenCode's own primary agents, which need no definition in the config. */
const BUILT_IN_AGENTS = ['build', 'plan']

/** Whether `agent` needs a definition from elsewhere (the repository) to be used. */
export function needsDefinition(agent: string | undefined, config: Json): agent is string {
  return (
    agent !== undefined &&
    !BUILT_IN_AGENTS.includes(agent) &&
    !(isObject(config.agent) && isObject(config.agent[agent]))
  )
}

const REVIEWER_PROMPT = `You review pull requests. You ${WHAT_THE_TOOLS_DO}, and answer in markdown. You never modify anything.`

/**
 * How long a provider may take to send its response headers. OpenCode waits
 * 300 s, then retries without end: an unreachable provider (no answer at all)
 * would only fail at `review-timeout`. Models that stream send their headers
 * at once, however long the answer then takes; the limit only bounds that wait.
 */
export const PROVIDER_HEADER_TIMEOUT_MS = 30_000

/** The header limit for the providers the review calls (its model's, the agent's own, the fallback's, the synthesis'), under whatever the user set. */
export function headerTimeouts(models: unknown[]): Json {
  return Object.fromEntries(
    providersOf(models).map((provider) => [provider, { options: { headerTimeout: PROVIDER_HEADER_TIMEOUT_MS } }])
  )
}

/** `provider/model` from the input, else from the user's config; undefined leaves it to OpenCode's own configuration. */
function resolveModel(inputs: Pick<ReviewSettings, 'config' | 'model'>): string | undefined {
  const model = inputs.model ? modelName(inputs.model) : inputs.config.model
  return typeof model === 'string' && model !== '' ? model : undefined
}

/** The action has no OpenCode configuration of its own to fall back on: no model is an error that says how to set one. */
export function requireModel(inputs: Pick<ReviewSettings, 'config' | 'model'>): string {
  const model = resolveModel(inputs)
  if (model === undefined) {
    throw new ActionError(
      'No model to review with: set the input \'model\' (for example `model: anthropic/claude-sonnet-4-5`), or name one in the \'config\' input as {"model": "provider/model"}.'
    )
  }
  return model
}

/** The chosen agent's own `model` in the config, if it names one. */
function agentModelIn(config: Json, agent: string): unknown {
  return isObject(config.agent) && isObject(config.agent[agent]) ? config.agent[agent].model : undefined
}

/** Every `provider/model` a run asks: the review's model, the agent's own, the fallback's and the synthesis'. */
export function modelsAsked(
  inputs: Pick<ReviewSettings, 'config' | 'model' | 'agent'> &
    Partial<Pick<ReviewSettings, 'fallbackModel' | 'synthesisModel'>>
): string[] {
  const asked = [
    resolveModel(inputs),
    agentModelIn(inputs.config, inputs.agent ?? REVIEWER_AGENT),
    ...[inputs.fallbackModel, inputs.synthesisModel].map((ref) => ref && modelName(ref))
  ]
  return [...new Set(asked.filter((model): model is string => typeof model === 'string' && model.includes('/')))]
}

export interface OpencodeSetup {
  /** OPENCODE_CONFIG_CONTENT for the server. */
  config: string
  /** `provider/model` the review asks for, as shown in logs; undefined: OpenCode's configured default. */
  model: string | undefined
  agent: string
  /** The variables the server keeps whatever their value: its providers' keys, and those the config reads as `{env:NAME}`. */
  credentials: string[]
}

/**
 * The OpenCode config: the user's `config` merged over helpful defaults, then
 * the review-safe settings laid over both, so no user or agent setting can
 * switch on sharing, updates, language servers, formatters or tools beyond reading (unless
 * `allow-agent-tools` hands the chosen agent's own permissions back to it, `ask` turned into `deny`).
 * `workspace`: what the workspace's tools read; none for a server that reads no code (the eval's judge).
 */
export function buildOpencodeConfig(
  inputs: Pick<ReviewSettings, 'config' | 'model' | 'agent' | 'allowAgentTools'> &
    Partial<Pick<ReviewSettings, 'fallbackModel' | 'synthesisModel'>>,
  workspace?: WorkspaceSource
): OpencodeSetup {
  const permission = READ_ONLY_PERMISSION
  const agent = inputs.agent ?? REVIEWER_AGENT
  const model = resolveModel(inputs)
  const asked = modelsAsked(inputs)
  const defaults: Json = {
    snapshot: false,
    provider: headerTimeouts(asked),
    agent: {
      [REVIEWER_AGENT]: { mode: 'primary', description: 'Read-only pull request reviewer', prompt: REVIEWER_PROMPT }
    }
  }
  const merged = deepMerge(defaults, inputs.config)
  const agents = merged.agent as Json
  if (BUILT_IN_AGENTS.includes(agent) && !isObject(agents[agent])) agents[agent] = {}
  if (!isObject(agents[agent])) {
    throw new ActionError(
      `Input 'agent' names '${agent}', which is defined neither under "agent" in the 'config' input nor in .opencode/agent/${agent}.md on the base branch. Define it, or leave 'agent' empty for the built-in reviewer.`
    )
  }
  for (const [name, definition] of Object.entries(agents)) {
    if (!isObject(definition)) continue
    const keepOwn = inputs.allowAgentTools && name === agent
    agents[name] = keepOwn
      ? { ...definition, permission: { ...asObject(withoutAsk(definition.permission)), StructuredOutput: 'allow' } }
      : { ...definition, permission, tools: undefined }
  }
  const config: Json = {
    ...merged,
    ...(model ? { model } : {}),
    share: 'disabled',
    autoupdate: false,
    // OpenCode starts a language server or formatter from the project's node_modules/.bin (oxlint, biome) for a
    // file its tools touch: a pull request's binaries. The reviewer edits nothing and needs neither.
    lsp: false,
    formatter: false,
    // The workspace's tools, on top of the user's servers.
    mcp: {
      ...(isObject(merged.mcp) ? merged.mcp : {}),
      ...(workspace ? workspaceServerConfig(workspace) : {})
    },
    // The agent's own rules, when kept, apply over these.
    permission
  }
  // The providers configured (the asked ones among them, given a header limit above), and the one OpenCode titles sessions with.
  const providers = [...Object.keys(config.provider as Json), ...providersOf([config.small_model])]
  return { config: JSON.stringify(config), model, agent, credentials: credentialVariables(config, providers) }
}

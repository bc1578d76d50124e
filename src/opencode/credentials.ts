import { KEY_OPTIONAL_PROVIDERS, PROVIDER_ENV } from './provider-env.js'

/**
 * The model providers' keys: which variables the server keeps whatever their value (they are still
 * redacted from everything posted), and which key a run certainly lacks, told before anything starts.
 */

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The provider of each `provider/model` name, once each; anything else is left out. */
export function providersOf(models: readonly unknown[]): string[] {
  const providers = models.flatMap((model) =>
    typeof model === 'string' && model.includes('/') ? [model.split('/')[0]] : []
  )
  return [...new Set(providers)]
}

/** The variables the config reads as `{env:NAME}`: OpenCode puts their values in as it loads it. */
function configVariables(config: Json): string[] {
  return [...JSON.stringify(config).matchAll(/\{env:([^}]+)\}/g)].map((match) => match[1])
}

/**
 * Credentials a provider's SDK reads beyond those OpenCode lists: Bedrock's AWS credential chain takes the
 * session token of temporary credentials, which a workflow's role (`aws-actions/configure-aws-credentials`) gives.
 */
const SDK_VARIABLES: Readonly<Record<string, readonly string[]>> = { 'amazon-bedrock': ['AWS_SESSION_TOKEN'] }

/** Of several key variables, the one the provider's SDK reads the key from. */
const SDK_KEY: Readonly<Record<string, string>> = { google: 'GOOGLE_GENERATIVE_AI_API_KEY' }

/** The variables the server keeps whatever their value: those `providers` read their credentials from, and those the config reads. */
export function credentialVariables(config: Json, providers: readonly string[]): string[] {
  const read = providers.flatMap((provider) => [...(PROVIDER_ENV[provider] ?? []), ...(SDK_VARIABLES[provider] ?? [])])
  return [...new Set([...read, ...configVariables(config)])]
}

export interface MissingKey {
  /** `provider/model`, the first that asks this provider. */
  model: string
  provider: string
  /** Any one of them would hold the key. */
  variables: readonly string[]
  /** The config's `provider.<id>.options.apiKey` names one of them as `{env:NAME}`. */
  fromConfig: boolean
}

/** A variable that holds a key; a region, a project or an endpoint means other ways in (a role, a cloud login). */
const KEY_NAME = /(KEY|TOKEN|PAT)$/

/**
 * The models whose provider certainly has no key, one per provider. Only a provider OpenCode knows that
 * needs a key (none with free models or a server on this machine), reads it from variables that all hold
 * keys (not Bedrock's region, Vertex's project or Azure's resource name), none of them set, and has no
 * `apiKey` of its own in the config nor a login `loggedIn` knows of. An `apiKey` of `{env:NAME}` is a key
 * only if NAME is set. GitHub's names are left out: no workflow may name a secret GITHUB_*.
 */
export function missingKeys(
  models: readonly string[],
  config: Json,
  env: NodeJS.ProcessEnv,
  loggedIn: (provider: string) => boolean = () => false
): MissingKey[] {
  const set = (name: string) => (env[name] ?? '').trim() !== ''
  return providersOf(models).flatMap((provider): MissingKey[] => {
    const model = models.find((name) => name.startsWith(`${provider}/`)) as string
    const providerConfig = isObject(config.provider) ? config.provider[provider] : undefined
    const apiKey =
      isObject(providerConfig) && isObject(providerConfig.options) ? providerConfig.options.apiKey : undefined
    if (apiKey !== undefined) {
      const named = typeof apiKey === 'string' ? /^\{env:([^}]+)\}$/.exec(apiKey.trim()) : null
      return named && !set(named[1]) ? [{ model, provider, variables: [named[1]], fromConfig: true }] : []
    }
    const listed = PROVIDER_ENV[provider]
    // The one to give first: OpenCode loads Google's provider with any of its three, Google's SDK takes the key from one.
    const variables =
      listed && [...listed].sort((a, b) => Number(b === SDK_KEY[provider]) - Number(a === SDK_KEY[provider]))
    if (variables === undefined || variables.length === 0 || KEY_OPTIONAL_PROVIDERS.includes(provider)) return []
    if (!variables.every((name) => KEY_NAME.test(name) && !name.startsWith('GITHUB_'))) return []
    if (variables.some(set) || loggedIn(provider)) return []
    return [{ model, provider, variables, fromConfig: false }]
  })
}

/** What is missing, in the words of every door; each adds how its user gives a key (a workflow's `env:`, a shell's `export`). */
export function describeMissingKey(missing: MissingKey, configWhere: string): string {
  const { model, provider, variables } = missing
  if (missing.fromConfig)
    return `No key for ${model}: ${configWhere} gives provider '${provider}' the apiKey {env:${variables[0]}}, and ${variables[0]} is not set.`
  const which =
    variables.length === 1 ? variables[0] : `any of ${variables.slice(0, -1).join(', ')} or ${variables.at(-1)}`
  return `No key for ${model}: provider '${provider}' reads it from ${which}, ${variables.length === 1 ? 'which is not set' : 'none of which is set'} (checked: the environment, and ${configWhere} has no apiKey for '${provider}').`
}

import { ActionError } from '../../errors.js'
import type { ModelRef } from '../../settings.js'
import { PROVIDER_ENV, PROVIDER_ENV_VERSION } from '../../opencode/provider-env.js'

/**
 * What a workflow gives the model's provider, and how. OpenCode lists each provider's variables alike
 * (src/opencode/provider-env.ts), but of a provider with several some hold a setting rather than a secret, some are
 * alternatives of which one is enough (and only one works), one holds the path of a file. Those
 * providers are spelt out here, as OpenCode 1.18.33 reads them; any other gets its one variable from
 * the secret of the same name.
 */

/** A setting, not a secret: given from the repository variable of the same name. */
export interface ProviderSetting {
  name: string
  /** What OpenCode takes when the variable is unset: given when the repository variable is empty, which OpenCode would not replace. */
  fallback?: string
}

export interface Credentials {
  /** Each given from the repository secret of the same name. */
  secrets: readonly string[]
  settings: readonly ProviderSetting[]
  /** A variable that holds a file's path: the file is written from `secret` before the step, outside the checkout. */
  file?: { variable: string; secret: string; what: string }
  /** Another way the provider takes its credentials, said in a comment. */
  otherwise?: string
}

/** Google's libraries read a service account key from the file GOOGLE_APPLICATION_CREDENTIALS names, not the key itself. */
const GOOGLE_KEY_FILE = {
  variable: 'GOOGLE_APPLICATION_CREDENTIALS',
  secret: 'GOOGLE_APPLICATION_CREDENTIALS_JSON',
  what: "the service account's JSON key"
}
const GOOGLE_KEYLESS =
  'Keyless instead: google-github-actions/auth with Workload Identity Federation writes this file and sets GOOGLE_APPLICATION_CREDENTIALS.'

/** The providers with several variables, by id: a test holds this list to the generated one. */
export const SPELT_OUT: Readonly<Record<string, Credentials>> = {
  // The Bedrock API key comes first in OpenCode's order; the region defaults to us-east-1.
  'amazon-bedrock': {
    secrets: ['AWS_BEARER_TOKEN_BEDROCK'],
    settings: [{ name: 'AWS_REGION', fallback: 'us-east-1' }],
    otherwise:
      'Or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead of the Bedrock API key, or a role through aws-actions/configure-aws-credentials (OIDC).'
  },
  azure: { secrets: ['AZURE_API_KEY'], settings: [{ name: 'AZURE_RESOURCE_NAME' }] },
  'azure-cognitive-services': {
    secrets: ['AZURE_COGNITIVE_SERVICES_API_KEY'],
    settings: [{ name: 'AZURE_COGNITIVE_SERVICES_RESOURCE_NAME' }]
  },
  'cloudflare-ai-gateway': {
    secrets: ['CLOUDFLARE_API_TOKEN'],
    settings: [{ name: 'CLOUDFLARE_ACCOUNT_ID' }, { name: 'CLOUDFLARE_GATEWAY_ID' }]
  },
  'cloudflare-workers-ai': { secrets: ['CLOUDFLARE_API_KEY'], settings: [{ name: 'CLOUDFLARE_ACCOUNT_ID' }] },
  databricks: { secrets: ['DATABRICKS_TOKEN'], settings: [{ name: 'DATABRICKS_HOST' }] },
  // Any of the three makes OpenCode load the provider, but only this one reaches Google's SDK as the key.
  google: { secrets: ['GOOGLE_GENERATIVE_AI_API_KEY'], settings: [] },
  'google-vertex': {
    secrets: [],
    settings: [{ name: 'GOOGLE_VERTEX_PROJECT' }, { name: 'GOOGLE_VERTEX_LOCATION', fallback: 'us-central1' }],
    file: GOOGLE_KEY_FILE,
    otherwise: GOOGLE_KEYLESS
  },
  // Claude on Vertex: OpenCode reads the project and location from GOOGLE_CLOUD_*, not GOOGLE_VERTEX_*.
  'google-vertex-anthropic': {
    secrets: [],
    settings: [{ name: 'GOOGLE_CLOUD_PROJECT' }, { name: 'GOOGLE_CLOUD_LOCATION', fallback: 'global' }],
    file: GOOGLE_KEY_FILE,
    otherwise: GOOGLE_KEYLESS
  },
  infomaniak: { secrets: ['INFOMANIAK_API_KEY'], settings: [{ name: 'INFOMANIAK_PRODUCT_ID' }] },
  neon: { secrets: ['NEON_AI_GATEWAY_TOKEN'], settings: [{ name: 'NEON_AI_GATEWAY_BASE_URL' }] },
  'privatemode-ai': { secrets: ['PRIVATEMODE_API_KEY'], settings: [{ name: 'PRIVATEMODE_ENDPOINT' }] },
  'snowflake-cortex': { secrets: ['SNOWFLAKE_CORTEX_PAT'], settings: [{ name: 'SNOWFLAKE_ACCOUNT' }] },
  watsonx: { secrets: ['WATSONX_AI_APIKEY'], settings: [{ name: 'WATSONX_AI_PROJECT_ID' }] }
}

export function providerCredentials(model: ModelRef): Credentials {
  const names = PROVIDER_ENV[model.providerID]
  if (names === undefined)
    throw new ActionError(
      `OpenCode ${PROVIDER_ENV_VERSION} knows no provider '${model.providerID}' (known: anthropic, openai, google, openrouter and ${Object.keys(PROVIDER_ENV).length - 4} more). Check the spelling of --model, or write the workflow for a known provider and add your own in the action's \`config\` input.`
    )
  // GitHub refuses secret names that start with GITHUB_, and the action keeps such variables from the server.
  if (names.some((name) => name.startsWith('GITHUB_')))
    throw new ActionError(
      `Provider '${model.providerID}' reads its credentials from ${names.join(', ')}: GitHub allows no secret named GITHUB_*, and the action keeps the workflow's token from the model. Choose another provider.`
    )
  return SPELT_OUT[model.providerID] ?? { secrets: names, settings: [] }
}

/** The commands that store them in the repository, for the person who runs `init`. */
export function storingCommands(model: ModelRef, credentials: Credentials): string[] {
  const { secrets, settings, file } = credentials
  const count = secrets.length + settings.length + (file ? 1 : 0)
  return [
    count === 1
      ? "Store the provider's key as a repository secret:"
      : `Store what provider '${model.providerID}' reads in the repository (secrets and variables):`,
    ...secrets.map((name) => `  gh secret set ${name}`),
    ...(file ? [`  gh secret set ${file.secret} < key.json   # ${file.what}`] : []),
    ...settings.map(
      ({ name, fallback }) => `  gh variable set ${name} --body <value>${fallback ? `   # unset: ${fallback}` : ''}`
    )
  ]
}

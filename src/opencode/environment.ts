/**
 * The OpenCode server reads hostile pull-request text, so it gets the runner's
 * environment minus every credential the action or the runner holds. Provider
 * API keys given to the step (`ANTHROPIC_API_KEY`, ...) pass: the model needs them.
 */
const REMOVED_NAMES = new Set([
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  // The runner's command files: whoever writes them can set outputs, env and PATH of later steps.
  'GITHUB_ENV',
  'GITHUB_OUTPUT',
  'GITHUB_PATH',
  'GITHUB_STATE',
  'GITHUB_STEP_SUMMARY'
])

export function scrubEnvironment(env: NodeJS.ProcessEnv, secrets: readonly string[]): Record<string, string> {
  const scrubbed: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || REMOVED_NAMES.has(name) || name.startsWith('INPUT_')) continue
    if (secrets.some((secret) => secret !== '' && value.includes(secret))) continue
    scrubbed[name] = value
  }
  return scrubbed
}

/** Names that conventionally hold credentials: their values are redacted from anything posted. */
const SECRET_NAME = /(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|PRIVATE_KEY|ACCESS_KEY)$/i

/** The values of credential-like variables, long enough to be worth redacting. */
export function secretValuesIn(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= 8)
    .map(([, value]) => value as string)
}

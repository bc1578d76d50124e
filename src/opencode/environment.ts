/**
 * The OpenCode server reads hostile pull-request text, so it gets the runner's
 * environment minus every credential the action or the runner holds and the
 * runner's own variables. The keys of the run's model providers given to the
 * step (`ANTHROPIC_API_KEY`, ...) pass: the model needs them.
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

/** The runner's and the workflow's own namespaces: nothing in them is for the server. */
const RUNNER_PREFIXES = ['GITHUB_', 'RUNNER_', 'ACTIONS_', 'INPUT_', 'STATE_']

/**
 * What the server keeps of `env`. A variable that holds one of `secrets` is dropped, under whatever name,
 * unless it is one of `credentials`: the variables the run's providers read their keys from, and those its
 * config reads (see credentials.ts). `ownOpencode`: the developer's own OpenCode settings (`OPENCODE_CONFIG`,
 * ...) pass, as the local command reviews a branch with them; otherwise none does but a credential
 * (`OPENCODE_API_KEY`), since a workflow's `OPENCODE_*` could point OpenCode at the pull request's files.
 * `OPENCODE_PERMISSION` never passes: it would lay other permissions over the reviewer's read-only ones.
 */
export function scrubEnvironment(
  env: NodeJS.ProcessEnv,
  secrets: readonly string[],
  ownOpencode: boolean,
  credentials: readonly string[]
): Record<string, string> {
  const scrubbed: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || REMOVED_NAMES.has(name)) continue
    if (RUNNER_PREFIXES.some((prefix) => name.startsWith(prefix))) continue
    const credential = credentials.includes(name)
    if (name === 'OPENCODE_PERMISSION' || (!ownOpencode && !credential && name.startsWith('OPENCODE_'))) continue
    if (!credential && secrets.some((secret) => secret !== '' && value.includes(secret))) continue
    scrubbed[name] = value
  }
  return scrubbed
}

/**
 * Names that conventionally hold credentials: their values are redacted from anything posted. `KEY` and
 * `PAT` too: providers read keys from `ABLIT_KEY`, `CLARIFAI_PAT`, and a config may read `{env:GATEWAY_KEY}`.
 */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|PAT)$/i

/** The values of credential-like variables, long enough to be worth redacting. */
export function secretValuesIn(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= 8)
    .map(([, value]) => value as string)
}

import { ActionError } from '../../errors.js'
import type { ModelRef } from '../../settings.js'
import { PROVIDER_ENV, PROVIDER_ENV_VERSION } from '../../opencode/provider-env.js'

/** The secrets a workflow gives the model's provider: the variables OpenCode reads its credentials from. */

export function providerSecrets(model: ModelRef): readonly string[] {
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
  return names
}

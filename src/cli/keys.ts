import path from 'node:path'
import { ActionError } from '../errors.js'
import { deepMerge, modelsAsked } from '../opencode/config.js'
import { describeMissingKey, type MissingKey, missingKeys } from '../opencode/credentials.js'
import type { OwnOpencode } from '../opencode/home.js'
import type { ModelRef, ReviewSettings } from '../settings.js'
import { modelName } from '../settings.js'
import { ownConfigFiles, readConfigFile } from './own-config.js'

/** The provider keys the command needs, checked before anything starts: a missing one says how a shell gives it. */

/** The providers OpenCode keeps a login for (`opencode auth login`), by id. */
function loggedIn(own: OwnOpencode): string[] {
  return Object.keys(readConfigFile(path.join(own.data, 'auth.json')))
}

function howToGive(missing: MissingKey): string {
  const name = missing.variables[0]
  const login = missing.fromConfig ? '' : ', or log in with `opencode auth login`'
  return `Set it for one run (\`${name}=... npx opencode-pr-review ...\`) or in your shell (\`export ${name}=...\`)${login}.`
}

/**
 * Fails when a model of the run certainly has no key (see missingKeys): the models of `settings` (read
 * with the developer's own config: withOwnConfig) or of the developer's config files, and `others` (the
 * judge's), with the config the server gets and the logins OpenCode keeps.
 */
export function requireProviderKeys(
  settings: ReviewSettings,
  own: OwnOpencode,
  env: NodeJS.ProcessEnv,
  others: ReadonlyArray<ModelRef | undefined> = []
): void {
  const config = deepMerge(ownConfigFiles(own, env), settings.config)
  const models = [
    ...modelsAsked({ ...settings, config }),
    ...others.flatMap((model) => (model ? [modelName(model)] : []))
  ]
  const logins = loggedIn(own)
  const missing = missingKeys(models, config, env, (provider) => logins.includes(provider))
  if (missing.length === 0) return
  throw new ActionError(
    missing.map((key) => `${describeMissingKey(key, 'your OpenCode config')} ${howToGive(key)}`).join('\n')
  )
}

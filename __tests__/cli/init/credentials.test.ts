import { describe, expect, it } from '@jest/globals'
import { providerCredentials, SPELT_OUT, storingCommands } from '../../../src/cli/init/credentials.js'
import { PROVIDER_ENV } from '../../../src/opencode/provider-env.js'

const model = (providerID: string) => ({ providerID, modelID: 'm' })

describe('providerCredentials', () => {
  it('spells out exactly the providers OpenCode reads from more than one variable: a new one in the generated list fails here until someone decides', () => {
    const several = Object.entries(PROVIDER_ENV)
      .filter(([, names]) => names.length > 1)
      .map(([id]) => id)
    expect(Object.keys(SPELT_OUT).sort()).toEqual(several.sort())
  })

  it('gives a provider with one variable its secret of the same name', () => {
    expect(providerCredentials(model('openrouter'))).toEqual({ secrets: ['OPENROUTER_API_KEY'], settings: [] })
  })

  it('gives each spelt-out provider at least one credential, and names no variable GitHub refuses as a secret', () => {
    for (const [id, credentials] of Object.entries(SPELT_OUT)) {
      expect([id, credentials.secrets.length + (credentials.file ? 1 : 0)]).not.toEqual([id, 0])
      expect(credentials.secrets.filter((name) => name.startsWith('GITHUB_'))).toEqual([])
    }
  })
})

describe('storingCommands', () => {
  it('stores a key as a secret, a key file from a file, and settings as variables with the default OpenCode takes', () => {
    expect(storingCommands(model('anthropic'), providerCredentials(model('anthropic')))).toEqual([
      "Store the provider's key as a repository secret:",
      '  gh secret set ANTHROPIC_API_KEY'
    ])
    expect(storingCommands(model('google-vertex'), providerCredentials(model('google-vertex')))).toEqual([
      "Store what provider 'google-vertex' reads in the repository (secrets and variables):",
      "  gh secret set GOOGLE_APPLICATION_CREDENTIALS_JSON < key.json   # the service account's JSON key",
      '  gh variable set GOOGLE_VERTEX_PROJECT --body <value>',
      '  gh variable set GOOGLE_VERTEX_LOCATION --body <value>   # unset: us-central1'
    ])
  })
})

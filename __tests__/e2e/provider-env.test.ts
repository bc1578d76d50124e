import { describe, expect, it, jest } from '@jest/globals'
import { DEFAULTS } from '../../src/defaults.js'
import { KEY_OPTIONAL_PROVIDERS, PROVIDER_ENV, PROVIDER_ENV_VERSION } from '../../src/opencode/provider-env.js'
import { readProviderEnv } from '../../__fixtures__/opencode-providers.js'

// The server keeps, the run checks and `init` names the variables of this generated list: it must be what the pinned binary itself reads.
jest.setTimeout(120_000)

describe("the providers' credential variables", () => {
  it('was generated from the pinned OpenCode release', () => {
    expect(PROVIDER_ENV_VERSION).toBe(DEFAULTS['opencode-version'])
  })

  it("is the pinned binary's own list of providers and their variables (regenerate: npm run providers)", async () => {
    expect({ env: PROVIDER_ENV, keyOptional: KEY_OPTIONAL_PROVIDERS }).toEqual(await readProviderEnv())
  })
})

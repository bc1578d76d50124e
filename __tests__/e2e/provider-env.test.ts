import { describe, expect, it, jest } from '@jest/globals'
import { DEFAULTS } from '../../src/defaults.js'
import { PROVIDER_ENV, PROVIDER_ENV_VERSION } from '../../src/cli/init/provider-env.js'
import { readProviderEnv } from '../../__fixtures__/opencode-providers.js'

// `init` names the secret from this generated list: it must be what the pinned binary itself reads.
jest.setTimeout(120_000)

describe("init's provider list", () => {
  it('was generated from the pinned OpenCode release', () => {
    expect(PROVIDER_ENV_VERSION).toBe(DEFAULTS['opencode-version'])
  })

  it("is the pinned binary's own list of providers and their variables (regenerate: npm run providers)", async () => {
    expect(PROVIDER_ENV).toEqual(await readProviderEnv())
  })
})

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, pullSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { hasWriteAccess } from '../../src/github/permissions.js'

const TOKEN = 'ghs_unitTestToken000000000000000000000000'
const repository = { owner: 'octo-org', repo: 'octo-repo' }

let github: FakeGitHub
beforeEach(async () => {
  github = await startFakeGitHub({
    token: TOKEN,
    pulls: [pullSeed('')],
    permissions: { maintainer: 'maintain', writer: 'write', triager: 'triage' }
  })
})
afterEach(async () => {
  await github.close()
  expect(github.violations).toEqual([])
})

describe('hasWriteAccess', () => {
  it('asks GitHub once per person and client: maintain and write may, triage and read may not', async () => {
    const octokit = getOctokit(TOKEN, { baseUrl: github.url })
    const log = fakeLogger()
    const ask = (login: string) => hasWriteAccess(octokit, repository, login, 'MEMBER', log)

    expect(await Promise.all(['maintainer', 'writer', 'triager', 'reader', 'Maintainer'].map(ask))).toEqual([
      true,
      true,
      false,
      false,
      true
    ])
    expect(await ask('writer')).toBe(true)
    const asked = () => github.requests.filter((request) => request.operationId?.includes('permission')).length
    expect(asked()).toBe(4)
    // Another run, another client: asked again.
    await hasWriteAccess(getOctokit(TOKEN, { baseUrl: github.url }), repository, 'writer', undefined, log)
    expect(asked()).toBe(5)
    expect(log.warning).not.toHaveBeenCalled()
  })

  it('takes an unknown account (404) as without access, and a refusal as what the association says', async () => {
    const octokit = getOctokit(TOKEN, { baseUrl: github.url })
    const log = fakeLogger()
    github.failNext('repos/get-collaborator-permission-level', { status: 404, message: 'Not Found' })
    github.failNext('repos/get-collaborator-permission-level', { status: 403, message: 'Forbidden' }, 2)

    expect(await hasWriteAccess(octokit, repository, 'gone', 'MEMBER', log)).toBe(false)
    expect(await hasWriteAccess(octokit, repository, 'member', 'MEMBER', log)).toBe(true)
    expect(await hasWriteAccess(octokit, repository, 'stranger', 'NONE', log)).toBe(false)
    expect(log.warning).toHaveBeenCalledTimes(2)
  })
})

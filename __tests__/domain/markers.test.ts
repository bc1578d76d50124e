import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../src/domain/finding.js'
import {
  findingKey,
  findingMarker,
  fingerprintCode,
  readPostedFindings,
  standingIn,
  standingMarker,
  withoutMarkers
} from '../../src/domain/markers.js'

const finding: Finding = {
  file: 'src/a b/ü.ts',
  startLine: 3,
  endLine: 4,
  severity: 'high',
  title: 'Ends the comment --> early? 100% <b>',
  body: 'Why.',
  codeFingerprint: fingerprintCode(['  const x = 1', 'return x'])
}

describe('finding markers', () => {
  it('record the finding whole, severity and code included, and read back what they recorded', () => {
    const marker = findingMarker(finding)
    // Nothing in the title or path can end the hidden comment early, nor split the marker's fields.
    expect(marker.match(/-->/g)).toHaveLength(1)
    expect(readPostedFindings(`text ${marker} more`)).toEqual([
      {
        key: findingKey(finding),
        startLine: 3,
        endLine: 4,
        severity: 'high',
        file: 'src/a b/ü.ts',
        title: 'Ends the comment --> early? 100% <b>',
        codeFingerprint: finding.codeFingerprint
      }
    ])
    expect(withoutMarkers(marker)).toBe('')
  })

  it('record a finding whose code was not read without a fingerprint', () => {
    const [posted] = readPostedFindings(findingMarker({ ...finding, codeFingerprint: undefined }))
    expect(posted).toMatchObject({ severity: 'high', title: finding.title })
    expect(posted).not.toHaveProperty('codeFingerprint')
  })

  it("still read an older release's markers: key and lines", () => {
    expect(readPostedFindings('<!-- opencode-pr-review:finding 0123456789abcdef 7-9 -->')).toEqual([
      { key: '0123456789abcdef', startLine: 7, endLine: 9 }
    ])
  })
})

describe('fingerprintCode', () => {
  it('ignores the spacing around each line, not the code', () => {
    expect(fingerprintCode(['\tconst x = 1  ', 'return x'])).toBe(fingerprintCode(['const x = 1', '  return x']))
    expect(fingerprintCode(['const x = 2', 'return x'])).not.toBe(fingerprintCode(['const x = 1', 'return x']))
    expect(fingerprintCode(['a', 'b'])).not.toBe(fingerprintCode(['a b']))
  })
})

describe('standing markers', () => {
  it('list the keys of the findings that stood; a body without one gives none', () => {
    const keys = [findingKey(finding), findingKey({ ...finding, title: 'Other' })]
    expect(standingIn(`review\n${standingMarker(keys)}`)).toEqual(keys)
    expect(standingIn(standingMarker([]))).toEqual([])
    expect(standingIn('review')).toBeUndefined()
  })
})

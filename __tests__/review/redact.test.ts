import { describe, expect, it } from '@jest/globals'
import { REDACTED, redactSecrets } from '../../src/review/redact.js'

describe('redactSecrets', () => {
  it('replaces every occurrence of every known secret', () => {
    const text = 'key sk-live-123456 and again sk-live-123456; password hunter22'
    expect(redactSecrets(text, ['sk-live-123456', 'hunter22'])).toBe(
      `key ${REDACTED} and again ${REDACTED}; password ${REDACTED}`
    )
  })

  it('replaces a longer secret whole when it contains a shorter one', () => {
    expect(redactSecrets('abcdefgh-XYZ', ['abcd', 'abcdefgh-XYZ'])).toBe(REDACTED)
  })

  it('catches a secret the model encoded in base64', () => {
    const secret = 'sk-ant-api03-very-secret'
    const encoded = Buffer.from(secret).toString('base64')
    expect(redactSecrets(`here: ${encoded}`, [secret])).toBe(`here: ${REDACTED}`)
  })

  it('removes anything shaped like a GitHub token or a private key, known or not', () => {
    const token = `ghs_${'a'.repeat(36)}`
    const pat = `github_pat_${'B'.repeat(30)}`
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----'
    expect(redactSecrets(`${token} ${pat}\n${key}`, [])).toBe(`${REDACTED} ${REDACTED}\n${REDACTED}`)
  })

  it('ignores empty and very short values, which would shred the text', () => {
    expect(redactSecrets('a b c', ['', 'a'])).toBe('a b c')
  })
})

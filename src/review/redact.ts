/** Shapes of credentials that must never reach a comment, whoever's they are. */
const CREDENTIAL_PATTERNS = [
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g
]

export const REDACTED = '[redacted]'

/**
 * Replaces every known secret value, and anything shaped like a GitHub token
 * or a private key, before text is posted, logged or written to an output.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const values = secrets.filter((secret) => secret.length >= 4)
  // A model asked to leak a secret may encode it; base64 is the usual way.
  const encoded = values.map((secret) => Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''))
  // Longest first, so a secret that contains another is replaced whole.
  const known = [...new Set([...values, ...encoded])].sort((a, b) => b.length - a.length)
  let redacted = text
  for (const secret of known) redacted = redacted.split(secret).join(REDACTED)
  for (const pattern of CREDENTIAL_PATTERNS) redacted = redacted.replace(pattern, REDACTED)
  return redacted
}

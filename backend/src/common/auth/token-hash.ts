import { hash, randomBytes } from 'node:crypto';

/** Opaque high-entropy secret for refresh tokens, API keys and email tokens. */
export function generateOpaqueToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** sha256 hex: these secrets carry 256 bits of entropy, so a fast hash is enough. */
export function hashToken(token: string): string {
  // One-shot hash (Node ≥ 20.12): no Hash object per call; this runs on every API-key request.
  return hash('sha256', token, 'hex');
}

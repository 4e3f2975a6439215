// One Idempotency-Key per user action: a retry of the same request (same body, e.g. after a
// lost answer) reuses its key so the server answers it once; a changed request gets a new key.
import { newIdempotencyKey } from '../api.js';

export function idempotencyKeys() {
  let lastSig = null;
  let key = null;
  return {
    keyFor(body) {
      const sig = JSON.stringify(body);
      if (sig !== lastSig || !key) { lastSig = sig; key = newIdempotencyKey(); }
      return key;
    },
    done() { lastSig = null; key = null; },
  };
}

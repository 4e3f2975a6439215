// In-browser verification of a service record against the transparency log (SPEC §6):
// RFC 6962 leaf and node hashes with Web Crypto SHA-256, the inclusion proof recomputed to the
// signed tree head's root, and the STH's Ed25519 signature checked (Web Crypto Ed25519 where the
// browser has it, else @noble/ed25519). Nothing here trusts the server's own "verified" claims.
import { get } from './api.js';

const enc = new TextEncoder();
const PIN_KEY = 'pitstop.sth_public_key';

export function hexToBytes(hex) {
  const s = String(hex || '').trim().toLowerCase();
  if (!/^([0-9a-f]{2})*$/.test(s)) throw new Error('bad hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}
export function bytesToHex(b) {
  return [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
}
function concat(...parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}
export async function leafHash(leafData) {
  return sha256(concat(Uint8Array.of(0), enc.encode(leafData)));
}
export async function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}

// RFC 9162 §2.1.3.2 (the same tree as RFC 6962): root from a leaf hash and its audit path.
export async function rootFromInclusionProof(index, treeSize, leaf, path) {
  if (!(index >= 0) || !(index < treeSize)) throw new Error('index outside tree');
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) throw new Error('proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('proof too short');
  return r;
}

export function sthMessage(sth) {
  return `pitstop-sth-v1\n${sth.tree_size}\n${sth.timestamp}\n${String(sth.root_hash).toLowerCase()}\n`;
}

export async function verifyEd25519(publicKey, signature, message) {
  try {
    const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  } catch (e) {
    // Browsers without Web Crypto Ed25519 (Chromium < 137, older Safari): the npm library.
    const ed = await import('@noble/ed25519');
    return ed.verifyAsync(signature, message, publicKey);
  }
}

/**
 * Verify that the leaf at leafIndex is in the log under a correctly signed tree head.
 * expect: optional {vin} that the leaf's record must name.
 * Resolves to {ok: true, sth, record} or {ok: false, reason} (reason: an i18n key suffix).
 */
export async function verifyRecord(leafIndex, expect = {}) {
  if (!globalThis.crypto || !crypto.subtle) return { ok: false, reason: 'no_crypto' };
  const index = Number(leafIndex);
  if (!Number.isInteger(index) || index < 0) return { ok: false, reason: 'not_in_log' };
  const sth = await get('/transparency/sth');
  const size = Number(sth.tree_size);
  if (!(index < size)) return { ok: false, reason: 'not_yet_in_tree' };

  const pk = hexToBytes(sth.public_key);
  const pinned = localStorage.getItem(PIN_KEY);
  if (pinned && pinned !== String(sth.public_key).toLowerCase()) return { ok: false, reason: 'key_changed' };
  const sigOk = await verifyEd25519(pk, hexToBytes(sth.signature), enc.encode(sthMessage(sth)));
  if (!sigOk) return { ok: false, reason: 'bad_signature' };
  if (!pinned) localStorage.setItem(PIN_KEY, String(sth.public_key).toLowerCase());

  const leaf = await get(`/transparency/leaves/${index}`);
  const lh = await leafHash(leaf.leaf_data);
  if (leaf.leaf_hash && bytesToHex(lh) !== String(leaf.leaf_hash).toLowerCase()) return { ok: false, reason: 'bad_leaf' };
  let record = null;
  try { record = JSON.parse(leaf.leaf_data); } catch { return { ok: false, reason: 'bad_leaf' }; }
  if (expect.vin && record && record.vin && record.vin !== expect.vin) return { ok: false, reason: 'wrong_vehicle' };

  const proof = await get('/transparency/proof', { index, tree_size: size });
  const path = (proof.audit_path || []).map(hexToBytes);
  let root;
  try { root = await rootFromInclusionProof(index, size, lh, path); } catch { return { ok: false, reason: 'bad_proof' }; }
  if (bytesToHex(root) !== String(sth.root_hash).toLowerCase()) return { ok: false, reason: 'bad_proof' };
  return { ok: true, sth, record };
}

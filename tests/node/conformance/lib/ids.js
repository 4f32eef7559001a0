import { randomBytes } from 'node:crypto';

/** PROTOCOL.md: "a peer id is exactly 40 hex characters, ^[a-fA-F0-9]{40}$". */
export const PEER_ID_RE = /^[a-fA-F0-9]{40}$/;

/** A fresh random lowercase peer id, optionally starting with `prefix` (hex). */
export function peerId(prefix = '') {
  if (!/^[0-9a-fA-F]*$/.test(prefix) || prefix.length > 40) throw new Error(`bad id prefix '${prefix}'`);
  return (prefix + randomBytes(20).toString('hex')).slice(0, 40);
}

/** A peer id made of `prefix` (hex), padded with `fill` up to 40 - tailLen, then `tailLen` random hex digits. */
export function designedId(prefix, fill = '0', tailLen = 6) {
  const tail = randomBytes(Math.ceil(tailLen / 2)).toString('hex').slice(0, tailLen);
  const body = (prefix + fill.repeat(40)).slice(0, 40 - tailLen);
  return body + tail;
}

/** A network name unique to this run, so tests sharing one server never see each other. */
export function networkName(label = 'net') {
  return `conf-${label}-${randomBytes(4).toString('hex')}`;
}

/** True 160-bit XOR distance (Kademlia metric), as a BigInt. Case-insensitive hex. */
export function xorDistance(a, b) {
  return BigInt('0x' + a) ^ BigInt('0x' + b);
}

/** The `n` ids of `candidates` closest to `target` by true XOR distance. */
export function closestByXor(target, candidates, n) {
  return [...candidates]
    .sort((x, y) => {
      const dx = xorDistance(target, x);
      const dy = xorDistance(target, y);
      return dx < dy ? -1 : dx > dy ? 1 : 0;
    })
    .slice(0, n);
}

// Exact-shape assertions for the frames PROTOCOL.md spells out. Key order is not checked
// (PROTOCOL.md: "Key order does not matter to the client"); the set of keys, their types and values are.
import assert from 'node:assert/strict';
import { PEER_ID_RE } from './ids.js';

function show(m) {
  return JSON.stringify(m);
}

export function assertKeys(obj, keys, what) {
  assert.ok(obj !== null && typeof obj === 'object' && !Array.isArray(obj), `${what}: expected a JSON object, got ${show(obj)}`);
  const got = Object.keys(obj).sort();
  const want = [...keys].sort();
  assert.deepEqual(got, want, `${what}: expected exactly the fields [${want}] but got [${got}] in ${show(obj)}`);
}

/** PROTOCOL.md: "Timestamps are epoch milliseconds (JSON numbers)". Same machine, so within 5 minutes of now. */
export function assertTimestamp(v, what) {
  assert.equal(typeof v, 'number', `${what}: timestamp must be a JSON number (epoch ms), got ${JSON.stringify(v)}`);
  assert.ok(Math.abs(v - Date.now()) < 5 * 60 * 1000, `${what}: timestamp ${v} is not epoch milliseconds near now (${Date.now()})`);
}

export function assertIsoTimestamp(v, what) {
  assert.equal(typeof v, 'string', `${what}: expected an ISO-8601 string, got ${JSON.stringify(v)}`);
  assert.match(v, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, `${what}: expected an ISO-8601 timestamp, got ${v}`);
  assert.ok(Number.isFinite(Date.parse(v)), `${what}: unparseable date ${v}`);
}

export function assertPeerIdString(v, what) {
  assert.ok(typeof v === 'string' && PEER_ID_RE.test(v), `${what}: expected a 40-hex peer id, got ${JSON.stringify(v)}`);
}

/**
 * §1 "On accept the server sends first (MUST MATCH):
 * {"type":"connected","data":{"peerId":"<id>"},"fromPeerId":"system","timestamp":<ms>}".
 * A `networkName:"global"` is tolerated (§"networkName on every message meant for a client"; see the report).
 */
export function assertConnected(m, peerId) {
  const what = `connected frame ${show(m)}`;
  const keys = ['type', 'data', 'fromPeerId', 'timestamp'];
  if ('networkName' in m) {
    assert.equal(m.networkName, 'global', `${what}: networkName, if present, must be "global"`);
    keys.push('networkName');
  }
  assertKeys(m, keys, what);
  assert.equal(m.type, 'connected');
  assert.deepEqual(m.data, { peerId }, `${what}: data must be exactly {"peerId":"${peerId}"}`);
  assert.equal(m.fromPeerId, 'system', `${what}: fromPeerId must be "system"`);
  assertTimestamp(m.timestamp, what);
}

/**
 * §2 announce: {"type":"peer-discovered","data":{...announceData,"peerId":<announcer>,"isHub":<bool>},
 * "networkName":<net>,"fromPeerId":"system","targetPeerId":<them>,"timestamp":<ms>}
 */
export function assertPeerDiscovered(m, { about, to, network, announceData = {}, isHub = false }) {
  const what = `peer-discovered about ${about} to ${to} ${show(m)}`;
  assertKeys(m, ['type', 'data', 'networkName', 'fromPeerId', 'targetPeerId', 'timestamp'], what);
  assert.equal(m.type, 'peer-discovered');
  assert.deepEqual(
    m.data,
    { ...announceData, peerId: about, isHub },
    `${what}: data must be the announce data spread, then the server-set peerId and isHub (§2 DECIDED)`,
  );
  assert.equal(m.networkName, network, `${what}: networkName`);
  assert.equal(m.fromPeerId, 'system', `${what}: fromPeerId`);
  assert.equal(m.targetPeerId, to, `${what}: targetPeerId`);
  assertTimestamp(m.timestamp, what);
}

/**
 * §3: {"type":"peer-disconnected","data":{"peerId":<id>,"isHub":<bool>,"reason":<text>},"networkName":<net>,
 * "fromPeerId":"system","targetPeerId":<them>,"timestamp":<ms>}
 */
export function assertPeerDisconnected(m, { about, to, network, isHub = false }) {
  const what = `peer-disconnected about ${about} to ${to} ${show(m)}`;
  assertKeys(m, ['type', 'data', 'networkName', 'fromPeerId', 'targetPeerId', 'timestamp'], what);
  assertKeys(m.data, ['peerId', 'isHub', 'reason'], `${what}: data`);
  assert.equal(m.data.peerId, about, `${what}: data.peerId`);
  assert.equal(m.data.isHub, isHub, `${what}: data.isHub`);
  assert.equal(typeof m.data.reason, 'string', `${what}: data.reason must be a text`);
  assert.equal(m.networkName, network, `${what}: networkName must be the departed peer's network`);
  assert.equal(m.fromPeerId, 'system', `${what}: fromPeerId`);
  assert.equal(m.targetPeerId, to, `${what}: targetPeerId`);
  assertTimestamp(m.timestamp, what);
}

/**
 * §2 relay: {"type":<t>,"data":<as sent>,"fromPeerId":<sender>,"targetPeerId":<t>,"networkName":<net>,"timestamp":<ms>}
 * With rawData, also checks that the received text holds the data bytes verbatim ("data byte-for-byte unchanged").
 */
export function assertRelayed(rec, { type, from, to, network, data, rawData }) {
  const m = rec.json;
  const what = `relayed ${type} from ${from} to ${to} ${clipRaw(rec.raw)}`;
  assertKeys(m, ['type', 'data', 'fromPeerId', 'targetPeerId', 'networkName', 'timestamp'], what);
  assert.equal(m.type, type, `${what}: type`);
  assert.equal(m.fromPeerId, from, `${what}: fromPeerId must be the sender's attached id`);
  assert.equal(m.targetPeerId, to, `${what}: targetPeerId`);
  assert.equal(m.networkName, network, `${what}: networkName`);
  assertTimestamp(m.timestamp, what);
  if (rawData !== undefined) assertVerbatim(rec.raw, rawData, what);
  if (data !== undefined) assert.deepEqual(m.data, data, `${what}: data must equal what was sent`);
}

export function assertVerbatim(raw, rawData, what) {
  const at = raw.indexOf(rawData);
  assert.ok(
    at >= 0 && /"data"\s*:\s*$/.test(raw.slice(0, at)),
    `${what}: the "data" value must be relayed byte-for-byte (§2 MUST MATCH).\n  sent data: ${rawData}\n  received frame: ${raw}`,
  );
}

function clipRaw(raw) {
  return raw.length > 400 ? `${raw.slice(0, 400)}…` : raw;
}

/** §2 ping: {"type":"pong","data":{"timestamp":<ms>},"fromPeerId":"system","targetPeerId":<id>,"timestamp":<ms>} + networkName. */
export function assertPong(m, { to, network }) {
  const what = `pong ${show(m)}`;
  assertKeys(m, ['type', 'data', 'fromPeerId', 'targetPeerId', 'timestamp', 'networkName'], what);
  assert.equal(m.type, 'pong');
  assertKeys(m.data, ['timestamp'], `${what}: data`);
  assertTimestamp(m.data.timestamp, `${what}: data.timestamp`);
  assert.equal(m.fromPeerId, 'system', `${what}: fromPeerId`);
  assert.equal(m.targetPeerId, to, `${what}: targetPeerId`);
  assertTimestamp(m.timestamp, what);
  if (network !== undefined) assert.equal(m.networkName, network, `${what}: networkName must be the peer's network`);
  else assert.equal(typeof m.networkName, 'string', `${what}: networkName`);
}

/** §2 goodbye: {"type":"goodbye","data":<as sent>,"fromPeerId":<sender>,"networkName":<sender's net>,"timestamp":<ms>} */
export function assertGoodbye(m, { from, network, data }) {
  const what = `goodbye ${show(m)}`;
  assertKeys(m, ['type', 'data', 'fromPeerId', 'networkName', 'timestamp'], what);
  assert.equal(m.type, 'goodbye');
  assert.deepEqual(m.data, data, `${what}: data must be as sent`);
  assert.equal(m.fromPeerId, from, `${what}: fromPeerId`);
  assert.equal(m.networkName, network, `${what}: networkName must be the sender's real network`);
  assertTimestamp(m.timestamp, what);
}

/**
 * An `error` reply. PROTOCOL.md fixes the text only for some errors; where it does, pass `error`.
 * networkName: "networkName on every message meant for a client" (MUST MATCH).
 */
export function assertErrorFrame(m, { network, error, exactKeys } = {}) {
  const what = `error frame ${show(m)}`;
  assert.equal(m.type, 'error', `${what}: type`);
  assert.ok(typeof m.error === 'string' && m.error.length > 0, `${what}: "error" must be a non-empty text`);
  if (error !== undefined) assert.equal(m.error, error, `${what}: error text`);
  if (network !== undefined) assert.equal(m.networkName, network, `${what}: networkName ("networkName on every message meant for a client")`);
  if (exactKeys) assertKeys(m, exactKeys, what);
  if ('timestamp' in m) assertTimestamp(m.timestamp, what);
}

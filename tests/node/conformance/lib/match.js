// Frame predicates (take the parsed JSON of a frame).

export const ofType = (type) => (m) => m.type === type;
export const discoveredOf = (peerId) => (m) => m.type === 'peer-discovered' && m.data?.peerId === peerId;
export const anyDiscovered = (m) => m.type === 'peer-discovered';
export const disconnectedOf = (peerId) => (m) => m.type === 'peer-disconnected' && m.data?.peerId === peerId;
export const anyDisconnected = (m) => m.type === 'peer-disconnected';
export const goodbyeFrom = (peerId) => (m) => m.type === 'goodbye' && m.fromPeerId === peerId;
export const relayed = (type, fromPeerId) => (m) => m.type === type && m.fromPeerId === fromPeerId;
export const isError = (m) => m.type === 'error';
export const isPong = (m) => m.type === 'pong';
export const isConnected = (m) => m.type === 'connected';
/** Any frame that is not a pong (used with expectNoFrame after a sync point). */
export const notPong = (m) => m.type !== 'pong';

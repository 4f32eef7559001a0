// temp probe (not committed)
import WebSocket from 'ws';
import crypto from 'node:crypto';
const [,, urlA, urlB] = process.argv;
const id = () => crypto.randomBytes(20).toString('hex');
const a = id(), b = id();
const open = (url, pid) => new Promise((res, rej) => { const ws = new WebSocket(`${url}/?peerId=${pid}`); ws.on('open', () => res(ws)); ws.on('error', rej); });
const wa = await open(urlA, a), wb = await open(urlB, b);
let killedAt = null;
wa.on('message', (raw) => { const m = JSON.parse(raw.toString()); if (m.type === 'peer-disconnected') { console.log(JSON.stringify({ ms: Date.now() - killedAt, data: m.data })); process.exit(0); } });
wb.on('error', () => {}); wb.on('close', () => {});
for (const [ws, p] of [[wa, a], [wb, b]]) ws.send(JSON.stringify({ type: 'announce', data: { peerId: p }, networkName: 'x' }));
await new Promise(r => setTimeout(r, 1000));
console.log('READY'); 
process.stdin.once('data', () => { killedAt = Date.now(); });
setTimeout(() => { console.log('TIMEOUT'); process.exit(1); }, 60000);

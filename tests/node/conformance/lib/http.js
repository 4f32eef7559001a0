import http from 'node:http';
import { TIMEOUT_MS } from './settings.js';

/**
 * One plain HTTP request to 127.0.0.1:port. Resolves with {status, headers, body, json}
 * (json is the parsed body when it parses, else undefined). Bounded by timeoutMs.
 */
export function httpRequest(port, { method = 'GET', path = '/', headers = {}, timeoutMs = TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const body = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, body, json });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`HTTP ${method} ${path} on port ${port}: no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}

/** GET that must answer 200 with a JSON object; returns the parsed body (and the response as .response). */
export async function getJson(port, path, headers = {}) {
  const res = await httpRequest(port, { path, headers });
  if (res.status !== 200 || res.json === undefined || typeof res.json !== 'object' || res.json === null) {
    throw new Error(
      `GET ${path}: expected 200 with a JSON object body (PROTOCOL.md §4 "All routes GET, JSON"), ` +
        `got ${res.status} content-type=${res.headers['content-type']} body=${res.body.slice(0, 500)}`,
    );
  }
  return { json: res.json, response: res };
}

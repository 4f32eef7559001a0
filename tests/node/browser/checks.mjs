// Assertions shared by the browser tests. Each failure message carries every page's summary.

import assert from 'node:assert/strict';

/**
 * `from` sends `content` to `to` over the data channel; `to` must receive exactly that, attributed to `from`, as a
 * direct message carrying the sender's message id.
 */
export async function exchange(suite, from, to, content) {
  const received = to.waitMessage(from, content);
  const messageId = await from.sendDirect(to, content);
  // sendDirectMessage returns null on bad input; with no open channel it drops the message silently, which the
  // bounded wait turns into a failure.
  assert.equal(typeof messageId, 'string', `${from.name}.sendDirectMessage should return a message id\n${suite.summaries()}`);
  const msg = await received;
  assert.equal(msg.content, content, 'content must arrive unchanged');
  assert.equal(msg.from, from.peerId, 'the message must be attributed to its sender');
  assert.equal(msg.direct, true, 'the message must arrive as a direct message');
  assert.equal(msg.messageId, messageId, "the receiver must see the sender's message id");
}

/**
 * The only `error` frame a well-behaved 1.1.3 client is expected to get: the reply to its own `connection-rejected`
 * (glare resolution). PROTOCOL.md §2 keeps it on purpose (MUST MATCH): that message is not relayed, the sender gets
 * upstream's error, and relaying it was measured to break the client's glare handling.
 */
export const CONNECTION_REJECTED_ERROR = "Unsupported message type 'connection-rejected'";

/**
 * No page got an `error` frame from the server (other than one reply per `connection-rejected` it sent itself, see
 * above), and no page logged an error to its console or threw an uncaught error. The page turns the library's
 * SignalingClient logger on (page/main.js), so the client's own signaling errors (socket errors, failed sends and
 * reconnects, unparsable frames) reach the console too. No other console error is tolerated: in these scenarios the
 * 1.1.3 browser build and Chromium log none (measured), so any error is news. Console warnings are only shown in the
 * summaries.
 */
export function assertCleanSignaling(suite, pages = suite.pages) {
  const problems = [];
  for (const page of pages) {
    const r = page.recorder;
    const errors = r.framesIn().filter((f) => f?.type === 'error');
    const rejectionsSent = r.of('frameOut').filter((f) => f.type === 'connection-rejected').length;
    const expected = errors.filter((f) => f.error === CONNECTION_REJECTED_ERROR);
    const unexpected = errors.filter((f) => f.error !== CONNECTION_REJECTED_ERROR);
    if (unexpected.length) problems.push(`${page.name} received error frames: ${JSON.stringify(unexpected)}`);
    if (expected.length > rejectionsSent) {
      problems.push(`${page.name} received ${expected.length} "${CONNECTION_REJECTED_ERROR}" errors but sent only ` +
        `${rejectionsSent} connection-rejected frames`);
    }
    const logged = r.consoleErrors();
    if (logged.length) problems.push(`${page.name} logged errors: ${JSON.stringify(logged)}`);
  }
  assert.deepEqual(problems, [], `signaling must be free of errors\n${suite.summaries(pages)}`);
}

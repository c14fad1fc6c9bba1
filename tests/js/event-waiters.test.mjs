// EventWaiters: the "next matching event" waits behind CallSession.waitFor and
// WebPhone._waitRcMessage. Every wait settles (match, timeout, rejectAll) or
// is cancelled; none resolves for an event it did not match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventWaiters } from '../../dist/es/event-waiters.js';

const pending = Symbol('pending');
const state = (p) => Promise.race([p.then((v) => ({ value: v }), (e) => ({ error: e.message })), new Promise((r) => setTimeout(() => r(pending), 20))]);

test('feed resolves every matching wait, once, and leaves the others pending', async () => {
  const w = new EventWaiters();
  const a = w.wait((e) => e.n === 1);
  const b = w.wait((e) => e.n === 1);
  const c = w.wait((e) => e.n === 2);
  w.feed({ n: 1 });
  w.feed({ n: 1, again: true });
  assert.deepEqual(await state(a), { value: { n: 1 } });
  assert.deepEqual(await state(b), { value: { n: 1 } });
  assert.equal(await state(c), pending);
  assert.equal(w.size, 1);
  w.rejectAll(new Error('gone'));
  assert.deepEqual(await state(c), { error: 'gone' });
});

test('a wait with a timeout rejects with "timeout" and is forgotten', async () => {
  const w = new EventWaiters();
  const a = w.wait(() => true, 5);
  assert.deepEqual(await state(a), { error: 'timeout' });
  w.feed({});   // nothing left to resolve
});

test('cancel() drops a wait: later events do not settle it', async () => {
  const w = new EventWaiters();
  const a = w.wait(() => true, 5);
  a.cancel();
  assert.equal(w.size, 0);
  w.feed({});
  assert.equal(await state(a), pending);   // neither resolved nor timed out
});

test('an abandoned wait that is rejected does not become an unhandled rejection', async () => {
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const w = new EventWaiters();
  w.wait(() => false);
  w.rejectAll(new Error('gone'));
  await new Promise((r) => setTimeout(r, 20));
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, []);
});

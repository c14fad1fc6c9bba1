// The 2.x EventEmitter (spec §2.12): synchronous, persistent listeners in
// order then once-listeners, and a listener that adds or removes listeners
// changes the next emit, not the one running (its fast path for a single
// listener must keep that).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { default: EventEmitter } = await import(`${root}/dist/es/event-emitter.js`);

test('persistent listeners run in order with every argument, then once-listeners, once', () => {
  const e = new EventEmitter();
  const seen = [];
  e.on('x', (a, b) => seen.push(['on1', a, b]));
  e.once('x', (a, b) => seen.push(['once', a, b]));
  e.on('x', (a, b) => seen.push(['on2', a, b]));
  e.emit('x', 1, 'two');
  e.emit('x', 3, 'four');
  assert.deepEqual(seen, [['on1', 1, 'two'], ['on2', 1, 'two'], ['once', 1, 'two'], ['on1', 3, 'four'], ['on2', 3, 'four']]);
  assert.equal(e.hasListeners('x'), true);
  assert.equal(e.hasListeners('y'), false);
});

test('a listener that adds or removes listeners affects the next emit only', () => {
  const e = new EventEmitter();
  const seen = [];
  const late = () => seen.push('late');
  const self = () => { seen.push('self'); e.off('x', self); e.on('x', late); };
  e.on('x', self); // the single-listener path
  e.emit('x');
  e.emit('x');
  assert.deepEqual(seen, ['self', 'late']);
  seen.length = 0;
  const a = () => { seen.push('a'); e.off('y', b); };
  const b = () => seen.push('b');
  e.on('y', a);
  e.on('y', b); // several listeners: the running emit still reaches b
  e.emit('y');
  e.emit('y');
  assert.deepEqual(seen, ['a', 'b', 'a']);
});

test('a throwing listener propagates to the caller of emit', () => {
  const e = new EventEmitter();
  e.on('x', () => { throw new Error('boom'); });
  assert.throws(() => e.emit('x'), /boom/);
});

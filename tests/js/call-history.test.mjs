// Call history (README "Call history"): real WebPhones from dist/ with the
// test kit's fake media against its RingCentral-style edge in Node. Each call
// flow checks the entry the history wrote; the stores are checked through the
// same CallHistory, the IndexedDB one against a small in-test fake of the
// IndexedDB API (fake-indexeddb would have to go into the shared
// node_modules). Needs a built dist/ (scripts/build.sh --package-only).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wasmBinary = readFileSync(`${root}/dist/sip-core.wasm`);
const { default: WebPhone } = await import(`${root}/dist/es/index.js`);
const { CallHistory, MemoryCallHistoryStore, IndexedDbCallHistoryStore } = await import(`${root}/dist/es/call-history.js`);
const { startTestServer, fakeMedia, useNodeWebSocket } = await import(`${root}/dist/testing/index.mjs`);

useNodeWebSocket();
let server;
before(async () => {
  // After a decline the edge keeps the caller ringing unansweredFinalMs (8 s by default).
  server = await startTestServer({ extensions: ['101', '102', '103'], transport: 'ws', config: { unansweredFinalMs: 100 } });
});
after(() => server.close());
beforeEach(() => server.reset({ unansweredFinalMs: 100 }));

const phones = [];
afterEach(() => Promise.all(phones.splice(0).map((p) => p.dispose())));

/** A started WebPhone with fake media for `ext`. */
async function phone(ext, options = {}) {
  const media = fakeMedia();
  const wp = new WebPhone({ sipInfo: server.sipInfo(ext), webRtcSessionFactory: media.factory,
    deviceManager: media.deviceManager, wasm: { wasmBinary }, ...options });
  phones.push(wp);
  await wp.start();
  return wp;
}
const event = (emitter, name) => new Promise((resolve) => emitter.once(name, resolve));
/** Every test ends well within this; a lost event fails it instead of hanging the run. */
const T = { timeout: 20_000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Alice (101) records; Bob (102) is the far side. */
async function pair(options = {}) {
  const callHistory = options.callHistory ?? new CallHistory();
  const alice = await phone('101', { callHistory });
  const bob = await phone('102');
  return { alice, bob, callHistory };
}

test('an inbound call answered and hung up: one answered entry with its times', T, async () => {
  const { alice, bob, callHistory } = await pair();
  assert.equal(alice.callHistory, callHistory);
  const ringing = event(alice, 'inboundCall');
  const t0 = Date.now();
  const placing = bob.call('101');
  const inbound = await ringing;
  await sleep(30);
  await inbound.answer();
  const outbound = await placing;
  await sleep(60);
  const written = event(callHistory, 'entry');
  await outbound.hangup();
  const entry = await written;
  assert.equal(entry.result, 'answered');
  assert.equal(entry.direction, 'inbound');
  assert.equal(entry.callId, inbound.callId);
  assert.ok(entry.callId.length > 0);
  assert.equal(entry.remoteParty.number, `+${server.extension('102').number}`);
  assert.equal(entry.localParty.number, inbound.localNumber);
  assert.ok(entry.startTime >= t0 && entry.answerTime >= entry.startTime + 30, JSON.stringify(entry));
  assert.ok(entry.endTime >= entry.answerTime + 60, JSON.stringify(entry));
  assert.equal(entry.durationMs, entry.endTime - entry.answerTime);
  assert.equal(entry.reason, 'remote hangup');
  assert.deepEqual(await callHistory.list(), [entry]);
  assert.deepEqual(await callHistory.get(entry.id), entry);
});

test('an inbound call the caller cancels is missed', T, async () => {
  const { alice, bob, callHistory } = await pair();
  const ringing = event(alice, 'inboundCall');
  const placing = bob.call('101');
  await ringing;
  await bob.callSessions[0].cancel();
  await placing;
  const [entry] = await until(() => callHistory.list(), (l) => l.length === 1);
  assert.equal(entry.result, 'missed');
  assert.equal(entry.direction, 'inbound');
  assert.equal(entry.answerTime, undefined);
  assert.equal(entry.durationMs, 0);
  assert.equal(entry.reason, 'cancelled');
});

test('an inbound call we decline is declined, not missed (RingCentral: the server CANCELs it)', T, async () => {
  const { alice, bob, callHistory } = await pair();
  const ringing = event(alice, 'inboundCall');
  const placing = bob.call('101');
  const inbound = await ringing;
  const written = event(callHistory, 'entry');
  await inbound.decline();
  const entry = await written;
  assert.equal(entry.result, 'declined');
  assert.equal(entry.reason, 'cancelled', 'the core saw a CANCEL: only the app knows it declined');
  await placing;
});

test('an inbound call sent to voicemail is voicemail; one answered and transferred is transferred', T, async () => {
  const { alice, bob, callHistory } = await pair();
  let ringing = event(alice, 'inboundCall');
  let placing = bob.call('101');
  const written = event(callHistory, 'entry');
  await (await ringing).toVoicemail();
  assert.equal((await written).result, 'voicemail');
  await placing;

  const carol = await phone('103');
  carol.on('inboundCall', (s) => void s.answer());
  ringing = event(alice, 'inboundCall');
  placing = bob.call('101');
  const inbound = await ringing;
  await inbound.answer();
  await placing;
  const transferred = event(callHistory, 'entry');
  await inbound.transfer('103');
  const entry = await transferred;
  assert.equal(entry.result, 'transferred');
  assert.ok(entry.answerTime > 0 && entry.durationMs >= 0);
});

test('an outbound call refused with 486 is busy, with the status', T, async () => {
  const { alice, callHistory } = await pair();
  await server.failNext({ method: 'INVITE', status: 486, ext: '101' });
  const session = await alice.call('102');
  assert.equal(session.state, 'disposed');
  const [entry] = await until(() => callHistory.list(), (l) => l.length === 1);
  assert.equal(entry.result, 'busy');
  assert.equal(entry.direction, 'outbound');
  assert.equal(entry.statusCode, 486);
  assert.equal(entry.reason, 'Busy Here');
  assert.equal(entry.remoteParty.number, '102');
  assert.equal(entry.callId, session.callId);
  assert.equal(entry.durationMs, 0);
});

test('an outbound call answered, then an outbound call we cancel', T, async () => {
  const { alice, bob, callHistory } = await pair();
  const answerLater = (s) => void sleep(20).then(() => s.answer());
  bob.on('inboundCall', answerLater);
  const session = await alice.call('102');
  assert.equal(session.state, 'answered');
  await sleep(40);
  await session.hangup();
  bob.off('inboundCall', answerLater);
  const ringing = event(bob, 'inboundCall');
  const placing = alice.call('102');
  await ringing;
  await alice.callSessions[0].cancel();
  await placing;
  const [cancelled, answered] = await until(() => callHistory.list(), (l) => l.length === 2);
  assert.equal(answered.result, 'answered');
  assert.equal(answered.direction, 'outbound');
  assert.equal(answered.callId, session.callId);
  assert.equal(answered.reason, 'local hangup');
  assert.ok(answered.answerTime >= answered.startTime + 20 && answered.durationMs >= 40, JSON.stringify(answered));
  assert.equal(cancelled.result, 'cancelled');
  assert.equal(cancelled.statusCode, 487);
  assert.ok(cancelled.startTime >= answered.endTime, 'newest first');
});

test('maxEntries trims the oldest (in memory and in the store); list() filters', T, async () => {
  const stored = [1, 2, 3, 4, 5].map((i) => entry(`old${i}`, i * 1000, i % 2 ? 'inbound' : 'outbound'));
  const store = new MemoryCallHistoryStore();
  for (const e of stored) await store.put(e);
  const callHistory = new CallHistory({ store, maxEntries: 3 });
  assert.deepEqual((await callHistory.list()).map((e) => e.id), ['old5', 'old4', 'old3']);
  assert.deepEqual((await store.load()).map((e) => e.id).sort(), ['old3', 'old4', 'old5']);

  const { alice } = await pair({ callHistory });
  await server.failNext({ method: 'INVITE', status: 486, ext: '101' });
  await alice.call('102');
  const list = await until(() => callHistory.list(), (l) => l[0].result === 'busy');
  assert.deepEqual(list.slice(1).map((e) => e.id), ['old5', 'old4']);
  await until(() => store.load(), (l) => l.length === 3 && !l.some((e) => e.id === 'old3'));

  assert.deepEqual((await callHistory.list({ direction: 'inbound' })).map((e) => e.id), ['old5']);
  assert.deepEqual((await callHistory.list({ direction: 'outbound' })).map((e) => e.result), ['busy', 'answered']);
  assert.deepEqual((await callHistory.list({ limit: 1 })).map((e) => e.result), ['busy']);
  assert.deepEqual((await callHistory.list({ since: 4500 })).map((e) => e.id), [list[0].id, 'old5']);
  assert.deepEqual((await callHistory.list({ since: new Date(4000), direction: 'outbound' })).map((e) => e.id), [list[0].id, 'old4']);
  assert.equal(await callHistory.remove('old4'), true);
  assert.equal(await callHistory.remove('old4'), false);
  assert.equal(await callHistory.get('old4'), undefined);
  await callHistory.clear();
  assert.deepEqual(await callHistory.list(), []);
  assert.deepEqual(await store.load(), []);
  assert.throws(() => new CallHistory({ maxEntries: 0 }), /maxEntries must be a positive integer/);
});

test('a store whose put() rejects: an error event, no unhandled rejection, the call unaffected', T, async () => {
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    const store = new MemoryCallHistoryStore();
    store.put = async () => { throw new Error('disk full'); };
    const callHistory = new CallHistory({ store });
    const errors = [];
    callHistory.on('error', (error, operation) => errors.push(`${operation}: ${error.message}`));
    const { alice, bob } = await pair({ callHistory });
    bob.on('inboundCall', (s) => void s.answer());
    const session = await alice.call('102');
    assert.equal(session.state, 'answered');
    await session.hangup();
    await until(async () => errors, (l) => l.length === 1);
    assert.deepEqual(errors, ['put: disk full']);
    assert.equal((await callHistory.list())[0].result, 'answered', 'kept in memory for this page');
    // The phone still works: a second call.
    const again = await alice.call('102');
    assert.equal(again.state, 'answered');
    await again.hangup();
    await until(async () => errors, (l) => l.length === 2);
    await sleep(20);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('a CallHistory on IndexedDB: a new one on the same database loads the earlier entries (a reload)', T, async () => {
  const indexedDB = new FakeIdbFactory();
  const callHistory = new CallHistory({ store: new IndexedDbCallHistoryStore({ indexedDB }) });
  const { alice, bob } = await pair({ callHistory });
  bob.on('inboundCall', (s) => void s.answer());
  await (await alice.call('102')).hangup();
  await server.failNext({ method: 'INVITE', status: 603, ext: '101' });
  await alice.call('102');
  const before = await until(() => callHistory.list(), (l) => l.length === 2);
  assert.deepEqual(before.map((e) => e.result), ['declined', 'answered']);
  await until(() => indexedDB.dump('wasm-web-phone', 'callHistory'), (l) => l.length === 2);

  // The page reloads: a new store and CallHistory on the same database.
  const reloaded = new CallHistory({ store: new IndexedDbCallHistoryStore({ indexedDB }) });
  assert.deepEqual(await reloaded.list(), before);
  assert.equal(indexedDB.databases.get('wasm-web-phone').version, 1);
  assert.equal(await reloaded.remove(before[1].id), true);
  assert.deepEqual((await indexedDB.dump('wasm-web-phone', 'callHistory')).map((e) => e.id), [before[0].id]);
  // The first tab reads the store again: the entry the other removed goes from its list too.
  await callHistory.reload();
  assert.deepEqual((await callHistory.list()).map((e) => e.id), [before[0].id]);
  await reloaded.clear();
  assert.deepEqual(await indexedDB.dump('wasm-web-phone', 'callHistory'), []);
  await callHistory.reload();
  assert.deepEqual(await callHistory.list(), []);
});

test('IndexedDB versioning: a database the app made for its own stores gets ours one version up, theirs kept', T, async () => {
  const indexedDB = new FakeIdbFactory();
  indexedDB.seed('app', 3, { settings: [{ id: 'theme', value: 'dark' }] });
  const store = new IndexedDbCallHistoryStore({ indexedDB, dbName: 'app', storeName: 'calls' });
  await store.put(entry('a', 1000, 'inbound'));
  const db = indexedDB.databases.get('app');
  assert.equal(db.version, 4);
  assert.deepEqual([...db.stores.keys()].sort(), ['calls', 'settings']);
  assert.deepEqual([...db.stores.get('settings').values()], [{ id: 'theme', value: 'dark' }]);
  // Another tab (a second store) upgrades the database for a store of its own: ours closes and reopens.
  const other = new IndexedDbCallHistoryStore({ indexedDB, dbName: 'app', storeName: 'calls2' });
  await other.put(entry('b', 2000, 'outbound'));
  assert.equal(db.version, 5);
  await store.put(entry('c', 3000, 'outbound'));
  assert.deepEqual((await store.load()).map((e) => e.id).sort(), ['a', 'c']);
  assert.deepEqual((await other.load()).map((e) => e.id), ['b']);
  // A record that is not an entry (written by something else) is skipped.
  db.stores.get('calls').set('junk', { id: 'junk', note: 'not a call' });
  assert.deepEqual((await new CallHistory({ store }).list()).map((e) => e.id), ['c', 'a']);
  // A put the database refuses rejects with its error.
  await assert.rejects(store.put({ note: 'no id' }), { name: 'DataError' });
});

test('an upgrade blocked by a connection that never closes fails with why (it hung every operation); once closed, the next operation works', T, async () => {
  const indexedDB = new FakeIdbFactory();
  indexedDB.seed('app', 1, { settings: [] });
  // The app's own connection, which ignores versionchange.
  const appDb = await new Promise((resolve) => { const r = indexedDB.open('app'); r.onsuccess = () => resolve(r.result); });
  const store = new IndexedDbCallHistoryStore({ indexedDB, dbName: 'app', blockedTimeoutMs: 100 });
  await assert.rejects(store.load(), /another connection to the database \(an older tab, or the app's own\) did not close for the upgrade that adds "callHistory" within 100 ms; close it on its versionchange event/);
  appDb.close();
  await store.put(entry('a', 1000, 'inbound'));
  assert.deepEqual((await store.load()).map((e) => e.id), ['a']);
});

test('no indexedDB (Node, some private modes): a clear error event, calls still recorded in memory', T, async () => {
  assert.equal(globalThis.indexedDB, undefined);
  const callHistory = new CallHistory({ store: new IndexedDbCallHistoryStore() });
  const errors = [];
  callHistory.on('error', (error, operation) => errors.push(`${operation}: ${error.message}`));
  await callHistory.ready;
  const { alice } = await pair({ callHistory });
  await server.failNext({ method: 'INVITE', status: 486, ext: '101' });
  await alice.call('102');
  await until(async () => errors, (l) => l.length === 2);
  assert.deepEqual(errors, [
    'load: IndexedDbCallHistoryStore(wasm-web-phone/callHistory): indexedDB is not available here; use MemoryCallHistoryStore (the default)',
    'put: IndexedDbCallHistoryStore(wasm-web-phone/callHistory): indexedDB is not available here; use MemoryCallHistoryStore (the default)',
  ]);
  assert.equal((await callHistory.list())[0].result, 'busy');
});

test('without the option a phone records nothing and has no callHistory', T, async () => {
  const alice = await phone('101');
  assert.equal(alice.callHistory, undefined);
});

test('multi-tab mode: the leader tab records the calls it runs', T, async () => {
  // Web Locks stand-in that grants the lock at once: this tab leads.
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { locks: {
    request: (name, opts, fn) => fn({ name }),
    query: async () => ({ held: [], pending: [] }),
  } } });
  const { MultiTabWebPhone } = await import(`${root}/dist/es/multi-tab.js`);
  const callHistory = new CallHistory();
  const media = fakeMedia();
  const tabs = new MultiTabWebPhone({ sipInfo: server.sipInfo('101'), name: 'history', instanceId: 'hist-tab',
    webRtcSessionFactory: media.factory, deviceManager: media.deviceManager, wasm: { wasmBinary }, callHistory });
  try {
    await tabs.start();
    assert.equal(tabs.isLeader, true);
    const bob = await phone('102');
    const ringing = event(tabs, 'inboundCall');
    const placing = bob.call('101');
    await (await ringing).answer();
    const written = event(callHistory, 'entry');
    await (await placing).hangup();
    const entry = await written;
    assert.equal(entry.result, 'answered');
    assert.equal(entry.direction, 'inbound');
  } finally {
    await tabs.dispose();
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete globalThis.navigator;
  }
});

test('wasm-web-phone/call-history for import and require; none of it in the main script', T, async () => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const esm = await import('wasm-web-phone/call-history');
  const cjs = require('wasm-web-phone/call-history');
  for (const mod of [esm, cjs])
    assert.deepEqual(Object.keys(mod).filter((k) => k !== 'default').sort(), ['CallHistory', 'IndexedDbCallHistoryStore', 'MemoryCallHistoryStore']);
  // One EventEmitter class for the SDK's modules and the history (unbundled builds).
  assert.equal(Object.getPrototypeOf(cjs.CallHistory), require('wasm-web-phone/event-emitter'));
  const main = readFileSync(`${root}/dist/iife/wasm-web-phone.js`, 'utf8');
  assert.doesNotMatch(main, /indexedDB is not available|maxEntries must be/);
  const addOn = readFileSync(`${root}/dist/iife/wasm-web-phone-call-history.js`, 'utf8');
  // The add-on on its own (script tags): it extends the global WebPhone.
  const { runInNewContext } = await import('node:vm');
  const WebPhoneGlobal = function WebPhone() {};
  const context = { WebPhone: WebPhoneGlobal, crypto, Promise };
  runInNewContext(addOn, context);
  const history = new WebPhoneGlobal.CallHistory({ maxEntries: 2 });
  assert.equal((await history.list()).length, 0); // an array of the script's realm
  assert.equal(typeof WebPhoneGlobal.IndexedDbCallHistoryStore, 'function');
  assert.throws(() => runInNewContext(addOn, { crypto }), /load wasm-web-phone.js first/);
});

// --- helpers -------------------------------------------------------------------

function entry(id, startTime, direction) {
  return { id, callId: `c-${id}`, direction, localParty: { number: '101' }, remoteParty: { number: '102' },
    startTime, answerTime: startTime + 100, endTime: startTime + 500, durationMs: 400, result: 'answered' };
}

/** Poll `get` until `ok` accepts its value; returns that value. */
async function until(get, ok, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await sleep(10);
  }
}

/**
 * The part of IndexedDB the store uses, with its rules: open() with and
 * without a version (VersionError below the current one, upgradeneeded and
 * versionchange above it), object stores created only while upgrading,
 * transactions that abort on a request error, keyPath `id`, values cloned.
 */
class FakeIdbFactory {
  databases = new Map();
  seed(name, version, stores) {
    this.databases.set(name, { version, stores: new Map(Object.entries(stores).map(([s, rows]) =>
      [s, new Map(rows.map((r) => [r.id, structuredClone(r)]))])), connections: new Set() });
  }
  async dump(name, store) {
    return [...(this.databases.get(name)?.stores.get(store)?.values() ?? [])].map((v) => structuredClone(v));
  }
  open(name, version) {
    if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw new TypeError('bad version');
    const request = { result: undefined, error: null };
    let data = this.databases.get(name);
    if (!data) this.databases.set(name, (data = { version: 0, stores: new Map(), connections: new Set() }));
    // Opens of one database are served in order: one waits while an earlier one's upgrade is blocked (as IndexedDB does).
    const run = () => new Promise((done) => setTimeout(() => {
      const succeed = () => {
        data.connections.add(request.result);
        request.onsuccess?.({ target: request });
        done();
      };
      const target = version ?? Math.max(1, data.version);
      if (target < data.version) {
        request.error = new DOMException('lower version', 'VersionError');
        request.onerror?.({ target: request });
        return done();
      }
      if (target > data.version) {
        for (const c of [...data.connections]) c.onversionchange?.({ oldVersion: data.version, newVersion: target });
        const upgrade = () => {
          const db = new FakeDb(data, name, true);
          request.result = db;
          data.version = target;
          request.onupgradeneeded?.({ target: request });
          db.upgrading = false;
          succeed();
        };
        // A connection that stays open blocks the upgrade until it closes.
        if (!data.connections.size) return upgrade();
        request.onblocked?.({ target: request });
        const wait = () => (data.connections.size ? setTimeout(wait, 5) : upgrade());
        return wait();
      }
      request.result = new FakeDb(data, name, false);
      succeed();
    }, 0));
    data.queue = (data.queue ?? Promise.resolve()).then(run);
    return request;
  }
}

class FakeDb {
  constructor(data, name, upgrading) {
    this.data = data; this.name = name; this.upgrading = upgrading; this.closed = false;
  }
  get version() { return this.data.version; }
  get objectStoreNames() { return { contains: (s) => this.data.stores.has(s) }; }
  createObjectStore(name, { keyPath }) {
    if (!this.upgrading) throw new DOMException('not in a versionchange transaction', 'InvalidStateError');
    assert.equal(keyPath, 'id');
    this.data.stores.set(name, new Map());
  }
  close() { this.closed = true; this.data.connections.delete(this); }
  transaction(name, mode) {
    if (this.closed) throw new DOMException('the connection is closed', 'InvalidStateError');
    if (!this.data.stores.has(name)) throw new DOMException(`no store ${name}`, 'NotFoundError');
    const rows = this.data.stores.get(name);
    const tx = { error: null };
    const ops = [];
    tx.objectStore = (s) => {
      assert.equal(s, name);
      const req = (fn) => { const r = { result: undefined, error: null }; ops.push(() => { r.result = fn(); }); return r; };
      const write = (fn) => { if (mode !== 'readwrite') throw new DOMException('read-only', 'ReadOnlyError'); return req(fn); };
      return {
        getAll: () => req(() => [...rows.values()].map((v) => structuredClone(v))),
        put: (v) => {
          if (typeof v?.id !== 'string' && typeof v?.id !== 'number') throw new DOMException('no key at keyPath id', 'DataError');
          return write(() => {
            rows.set(v.id, structuredClone(v));
            return v.id;
          });
        },
        delete: (k) => write(() => void rows.delete(k)),
        clear: () => write(() => void rows.clear()),
      };
    };
    setTimeout(() => {
      const saved = new Map(rows);
      try {
        for (const op of ops) op();
      } catch (e) {
        rows.clear();
        for (const [k, v] of saved) rows.set(k, v); // the transaction aborts: nothing it did stays
        tx.error = e;
        return tx.onabort?.();
      }
      tx.oncomplete?.();
    }, 0);
    return tx;
  }
}

test('an outbound call hung up before its INVITE went out is cancelled, not failed', T, async () => {
  const { alice, callHistory } = await pair();
  const placing = alice.call('102');
  const session = alice.callSessions.at(-1);
  await session.hangup(); // while its media is set up: no INVITE on the wire yet
  await placing.catch(() => undefined);
  const [entry] = await until(() => callHistory.list(), (l) => l.length === 1);
  assert.equal(entry.result, 'cancelled', JSON.stringify(entry));
  assert.equal(entry.reason, 'cancelled before the INVITE was sent');
});

test('a call handed to another tab (multi-tab takeover) writes no entry here: the tab that adopts it does', T, async () => {
  const { alice, bob, callHistory } = await pair();
  bob.on('inboundCall', (s) => void s.answer());
  const session = await alice.call('102');
  assert.equal(session.state, 'answered');
  alice._abandon(); // what the leader does when another tab takes over
  assert.equal(session.state, 'disposed');
  await sleep(50);
  assert.deepEqual((await callHistory.list()).map((e) => e.result), [], 'no "answered" entry for a call that goes on');
});

test('a history listener that throws does not cut the call\'s teardown short; its error goes to reportError', T, async () => {
  const { alice, bob, callHistory } = await pair();
  bob.on('inboundCall', (s) => void s.answer());
  const reported = [];
  globalThis.reportError = (e) => reported.push(e); // the browser's; Node 20 has none
  after(() => delete globalThis.reportError);
  callHistory.on('change', () => { throw new Error('app bug in a change listener'); });
  const session = await alice.call('102');
  let appSawEnd = false;
  session.on('disposed', () => (appSawEnd = true)); // registered after the history's own
  await session.hangup();
  assert.equal(appSawEnd, true, 'the app\'s disposed listener ran');
  assert.equal((await callHistory.list()).length, 1);
  assert.match(reported[0]?.message, /app bug in a change listener/);
});

test('a page closed during a call writes its entry then (the call never ends there); the back/forward cache writes nothing', T, async () => {
  // Node's global is no EventTarget: give the page its pagehide.
  const page = new EventTarget();
  Object.assign(globalThis, { addEventListener: page.addEventListener.bind(page), removeEventListener: page.removeEventListener.bind(page) });
  const pageHide = (persisted) => page.dispatchEvent(Object.assign(new Event('pagehide'), { persisted }));
  try {
    const { alice, bob, callHistory } = await pair();
    bob.on('inboundCall', (s) => void s.answer());
    const session = await alice.call('102');
    pageHide(true); // into the cache: the page may come back with the call
    assert.deepEqual(await callHistory.list(), []);
    pageHide(false);
    const [entry] = await callHistory.list();
    assert.equal(entry.result, 'answered');
    assert.equal(entry.reason, 'the page closed during the call');
    assert.equal(entry.callId, session.callId);
    await session.hangup(); // (in a real page nothing runs after pagehide)
    await sleep(50);
    assert.equal((await callHistory.list()).length, 1, 'written once');
  } finally {
    delete globalThis.addEventListener;
    delete globalThis.removeEventListener;
  }
});

test('list() refuses a query it cannot answer instead of answering wrong: a string date, a negative limit, an unknown direction', T, async () => {
  const callHistory = new CallHistory();
  await assert.rejects(callHistory.list({ since: '2024-01-01' }), /list: since must be a number of ms since the epoch or a Date/);
  await assert.rejects(callHistory.list({ since: new Date('not a date') }), /list: since must be/);
  await assert.rejects(callHistory.list({ limit: -1 }), /list: limit must be an integer >= 0/);
  await assert.rejects(callHistory.list({ limit: 1.5 }), /list: limit must be/);
  await assert.rejects(callHistory.list({ direction: 'in' }), /list: direction must be "inbound" or "outbound"/);
  assert.deepEqual(await callHistory.list({ since: new Date(0), limit: 0, direction: 'inbound' }), []);
});

// Call waiting (README "Calls"): webPhone.switchTo() with real WebPhones from
// dist/ and the test kit's fake media against its edge in Node. What goes
// on the wire (hold re-INVITEs, sendonly) is read from the server's trace.
// Needs a built dist/ (scripts/build.sh --package-only).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kitPhones } from './lib/kit-phones.mjs';

const kit = kitPhones({ extensions: ['101', '102', '103'] });
const phone = kit.phone;
const event = (emitter, name) => new Promise((resolve) => emitter.once(name, resolve));
const T = { timeout: 20_000 };

test('a second call is answered with switchTo: the first goes on hold, and back again', T, async () => {
  const alice = await phone('101');
  const bob = await phone('102');
  const carol = await phone('103');
  let ringing = event(alice, 'inboundCall');
  const fromBob = bob.call('101');
  const first = await ringing;
  await alice.switchTo(first); // nothing else live: just answered
  await fromBob;
  assert.equal(first.state, 'answered');
  assert.equal(first.held, false);

  ringing = event(alice, 'inboundCall');
  const fromCarol = carol.call('101');
  const second = await ringing;
  assert.equal(second.state, 'ringing');
  await alice.switchTo(second);
  await fromCarol;
  assert.equal(first.held, true, 'the call in progress went on hold first');
  assert.equal(second.state, 'answered');
  assert.equal(second.held, false);

  await alice.switchTo(first);
  assert.equal(second.held, true);
  assert.equal(first.held, false);
  // On the wire: re-INVITEs from 101 with sendonly (hold) and sendrecv (resume).
  const reinvites = (await kit.server.trace('101')).filter((m) => m.dir === 'in' && /^INVITE /.test(m.text) && /\r\nTo: [^\r]*;tag=/.test(m.text));
  const dirs = reinvites.map((m) => /a=(sendonly|sendrecv|recvonly|inactive)/.exec(m.text)?.[1]);
  assert.deepEqual(dirs, ['sendonly', 'sendonly', 'sendrecv'], JSON.stringify(dirs));
  await assert.rejects(alice.switchTo({}), /not a live call of this phone/);
});

// autoRecover against the RingCentral-style edge (ours only: the published
// SDK never reconnects). The edge drops the caller's WebSocket mid-call
// (POST /api/drop, from outside the page); the phone reconnects, registers
// again as the same instance (the edge moves its calls to the new
// connection, as a server with RFC 5626 flow recovery would), restarts the
// call's media with an ICE-restart re-INVITE that the edge relays to the
// peer, and the call goes on with one binding.
import { test, expect, api, SDK, callAndAnswer, audioFlows } from './fixtures';

test('the edge drops the caller mid-call: it registers again, the re-INVITE reaches the peer, the call goes on', async ({ phones }) => {
  test.skip(SDK !== 'ours', 'ringcentral-web-phone has no autoRecover');
  const autoRecover = { reconnectDelay: 200, reconnectTimeLimit: 1000, jitter: 0 };
  const caller = await phones('101', { autoRecover });
  const callee = await phones('102', { autoRecover });
  await callAndAnswer(caller, callee);
  await audioFlows(caller);
  const dropped = await api('/api/drop', { ext: '101' });
  expect(dropped.dropped).toHaveLength(1);
  await expect.poll(() => caller.ev(() => (window as any).h.recovery), { timeout: 10_000 }).toContain('recovered');
  await expect.poll(() => caller.ev(() => (window as any).h.sessions[0].events), { timeout: 15_000 }).toContain('mediaRecovered');
  // The re-INVITE went through the edge to the callee, whose answer came back.
  await expect.poll(() => callee.frames.some((f) => f.dir === 'inbound' && /^INVITE /.test(f.subject))).toBe(true);
  expect(await caller.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
  expect(await callee.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
  await audioFlows(caller);
  await audioFlows(callee);
  const regs = await api('/api/registrations');
  const mine = JSON.stringify(regs).match(/rc-scenarios-101/g) ?? [];
  expect(mine).toHaveLength(1);
  // And the call still ends normally, through the new connection.
  await caller.ev(() => (window as any).h.sessions[0].hangup());
  await expect.poll(() => callee.ev(() => (window as any).h.sessions[0].state)).toBe('disposed');
});

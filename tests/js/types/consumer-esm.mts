// Compiled by tests/js/types.test.mjs, never run: an ES module app's view of the
// package's types, as ringcentral-web-phone 2.x apps use them.
import WebPhone from 'wasm-web-phone';
import { DefaultSipClient, DummySipClient } from 'wasm-web-phone/sip-client';
import type InboundCallSession from 'wasm-web-phone/call-session/inbound';
import type OutboundCallSession from 'wasm-web-phone/call-session/outbound';
import type { SipInfo, WebPhoneOptions } from 'wasm-web-phone/types';
import RequestMessage from 'wasm-web-phone/sip-message/outbound/request';
import { generateAuthorization, uuid } from 'wasm-web-phone/utils';

declare const sipInfo: SipInfo;
const options: WebPhoneOptions = { sipInfo, instanceId: uuid(), debug: true };
const webPhone = new WebPhone(options);
webPhone.on('inboundCall', async (session: InboundCallSession) => {
  await session.answer();
  const result = await session.park();
  console.log(result, session.callId, session.state);
});
export async function place(): Promise<OutboundCallSession> {
  await webPhone.start();
  const session = await webPhone.call('102', undefined, { headers: { 'X-Ref': 'a' } });
  await session.hold();
  await session.sendDtmf('1');
  return session;
}
export const clients = [DefaultSipClient, DummySipClient];
export const req = new RequestMessage('MESSAGE sip:1@x SIP/2.0', { 'Call-ID': uuid() }, 'hi');
export const auth: string = generateAuthorization(sipInfo, 'nonce', 'REGISTER');

// The types are real (not `any` from an unresolved module): misuse is an error.
// @ts-expect-error: call() needs a callee
void webPhone.call();
// @ts-expect-error: no such option
void new WebPhone({ sipInfo, instanceid: 'typo' });

// RingCentral call-control command codes (`<Hdr Cmd="…">`, spec §8.2), as
// ringcentral-web-phone 2.x exports them from `/rc-message/call-control-commands`.
// The core's `RcCmd` enum (core/rc/rc_message.hpp) is the source of truth; a
// parity test (tests/js/subpath-exports.test.mjs) keeps this copy equal to it.
const callControlCommands = {
  ChangeMessage: 1, // server→client
  ServerFreeResources: 2, // server→client, after the remote side hangs up
  NewMsg: 3, // server→client
  ReLogin: 4, // server→client
  ChangePhones: 5, // server→client
  IncomingCall: 6, // server→client, in the INVITE's P-rc header
  AlreadyProcessed: 7, // server→client, the call was answered elsewhere
  ClientMinimize: 8, // server→client
  SessionClose: 9, // server→client, ends reply()
  ClientForward: 10, // client→server, forward()
  ClientVoicemail: 11, // client→server, toVoicemail()
  ClientReject: 12, // client→server, decline()
  ClientStartReply: 13, // client→server, startReply()
  ClientReply: 14, // client→server, reply()
  ClientNotProcessed: 15, // client→server
  ClientClosed: 16, // client→server
  ClientReceiveConfirm: 17, // client→server, sent for every new inbound call
};

export default callControlCommands;

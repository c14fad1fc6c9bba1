// `wasm-web-phone/multi-tab`: one registration for any number of tabs, the
// 2.x API in each (README "Multiple tabs"). Named exports only, like
// `wasm-web-phone/sip-client` (a CommonJS module cannot have both).
//
//   import { MultiTabWebPhone } from 'wasm-web-phone/multi-tab';
//   const webPhone = new MultiTabWebPhone({ sipInfo });   // the same lines in every tab
//   webPhone.on('inboundCall', (session) => ...);           // every tab hears every call
//   await webPhone.start();                                 // one tab registers, for all
export { MultiTabWebPhone, type MultiTabOptions } from './multi-tab/phone.js';
export { TabCallSession } from './multi-tab/tab-session.js';

// `wasm-web-phone/call-history`: the phone's call history with a pluggable
// store (README "Call history"). Named exports only, like
// `wasm-web-phone/multi-tab` (a CommonJS module cannot have both). Kept out
// of the main bundle; script tags: dist/iife/wasm-web-phone-call-history.js.
//
//   import { CallHistory, IndexedDbCallHistoryStore } from 'wasm-web-phone/call-history';
//   const callHistory = new CallHistory({ store: new IndexedDbCallHistoryStore() });
//   const webPhone = new WebPhone({ sipInfo, callHistory });
//   callHistory.on('change', async () => render(await callHistory.list({ limit: 50 })));
export {
  CallHistory, MemoryCallHistoryStore,
  type CallHistoryEntry, type CallHistoryOptions, type CallHistoryParty, type CallHistoryQuery, type CallHistoryResult,
  type CallHistoryStore,
} from './history/call-history.js';
export { IndexedDbCallHistoryStore, type IndexedDbCallHistoryStoreOptions } from './history/indexeddb-store.js';

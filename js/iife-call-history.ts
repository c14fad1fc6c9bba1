// Script-tag add-on for the call history (README "Call history"): load it
// after wasm-web-phone.js (or the multi-tab build); it adds
// `WebPhone.CallHistory`, `WebPhone.MemoryCallHistoryStore` and
// `WebPhone.IndexedDbCallHistoryStore`. A file of its own so that the main
// script stays within its size budget (scripts/check-size.sh).
import { CallHistory, MemoryCallHistoryStore } from './history/call-history.js';
import { IndexedDbCallHistoryStore } from './history/indexeddb-store.js';

const g = globalThis as { WebPhone?: Record<string, unknown> };
if (!g.WebPhone) throw new Error('wasm-web-phone-call-history.js: load wasm-web-phone.js first');
Object.assign(g.WebPhone, { CallHistory, MemoryCallHistoryStore, IndexedDbCallHistoryStore });

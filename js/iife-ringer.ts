// Script-tag add-on for the ringer (README "Devices"): load it after
// wasm-web-phone.js (or the multi-tab build); it adds `WebPhone.Ringer`. A
// file of its own so that the main script stays within its size budget
// (scripts/check-size.sh).
import { Ringer } from './ringer.js';

const g = globalThis as { WebPhone?: Record<string, unknown> };
if (!g.WebPhone) throw new Error('wasm-web-phone-ringer.js: load wasm-web-phone.js first');
g.WebPhone.Ringer = Ringer;

// Script-tag build: `<script src=".../iife/wasm-web-phone.js">` sets
// `globalThis.WebPhone`, exactly like ringcentral-web-phone's IIFE.
// First, so the wasm request goes out before the rest of the bundle runs (js/core/preload.ts).
import './core/preload.js';
import WebPhone from './web-phone.js';

(globalThis as { WebPhone?: typeof WebPhone }).WebPhone = WebPhone;

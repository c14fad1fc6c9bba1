// Script-tag build with the multi-tab mode: `<script src=".../iife/wasm-web-phone-multi-tab.js">`
// sets `globalThis.WebPhone` (as wasm-web-phone.js does) with `WebPhone.MultiTab`
// (`wasm-web-phone/multi-tab`'s MultiTabWebPhone, README "Multiple tabs").
// First, so the wasm request goes out before the rest of the bundle runs (js/core/preload.ts).
import './core/preload.js';
import WebPhone from './web-phone.js';
import { MultiTabWebPhone } from './multi-tab/phone.js';

(WebPhone as unknown as { MultiTab: typeof MultiTabWebPhone }).MultiTab = MultiTabWebPhone;
(globalThis as { WebPhone?: typeof WebPhone }).WebPhone = WebPhone;

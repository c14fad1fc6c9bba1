// Script-tag build: `<script src=".../iife/wasm-web-phone.js">` sets
// `globalThis.WebPhone`, exactly like ringcentral-web-phone's IIFE.
import WebPhone from './web-phone.js';

(globalThis as { WebPhone?: typeof WebPhone }).WebPhone = WebPhone;

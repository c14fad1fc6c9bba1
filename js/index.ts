// wasm-web-phone: a drop-in for ringcentral-web-phone 2.x on a C++ SIP core
// compiled to WebAssembly. `import WebPhone from 'wasm-web-phone'`.
import WebPhone from './web-phone.js';

export default WebPhone;

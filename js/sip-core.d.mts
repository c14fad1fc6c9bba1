// Type of the Emscripten factory emitted by the wasm build (sip-core.mjs).
import type { SipCoreModule, SipCoreModuleOptions } from './core/sip-core.js';
declare const createSipCore: (options?: SipCoreModuleOptions) => Promise<SipCoreModule>;
export default createSipCore;

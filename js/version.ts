// Build identity (house style §18): which SIP core this SDK carries, so an app
// can log it and a bug report can name it. scripts/build.sh substitutes the
// values (esbuild --define); code compiled any other way reports "dev".
declare const __WWP_VERSION__: string | undefined;
declare const __WWP_COMMIT__: string | undefined;
declare const __WWP_WASM_SHA256__: string | undefined;

/** The package version (`package.json`). */
export const CORE_VERSION: string = typeof __WWP_VERSION__ === 'string' ? __WWP_VERSION__ : 'dev';
/** The git commit the package was built from ("unknown" outside a git checkout). */
export const CORE_COMMIT: string = typeof __WWP_COMMIT__ === 'string' ? __WWP_COMMIT__ : 'dev';
/** SHA-256 (hex) of the `sip-core.wasm` built alongside this code. */
export const WASM_SHA256: string = typeof __WWP_WASM_SHA256__ === 'string' ? __WWP_WASM_SHA256__ : 'dev';

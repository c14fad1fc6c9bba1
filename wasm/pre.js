// Emscripten 3.1.6's ES6 loader reads `__dirname` when it runs under Node,
// which ES modules do not define. This local shadow (the pre-js runs inside
// the module factory) keeps it from throwing; the shim always passes
// `locateFile` or `wasmBinary`, so the directory is never used.
var __dirname = '';

// Stands in for `isomorphic-webcrypto` in the browser build (see vite.config.ts). fhirclient
// requires that package only where `globalThis.crypto` is missing, which no browser we support
// lacks, so bundling a JavaScript WebCrypto polyfill (~170 kB) would be dead weight. PKCE still
// needs a secure context (HTTPS or localhost) for `crypto.subtle`.
const webcrypto: Crypto = globalThis.crypto;
export default webcrypto;

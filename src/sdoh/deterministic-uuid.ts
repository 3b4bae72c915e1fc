// Deterministic UUIDs for CDS card suggestions and bundle-local fullUrls: the same input always
// gives the same id (a card re-rendered for the same domain and state keeps its uuid, so feedback
// and "shown this encounter" bookkeeping line up). Not a security token and not random: callers
// that need uniqueness (idempotency keys) generate a random UUID themselves and pass it in.
//
// Layout: RFC 9562 UUIDv8 ("custom"), version nibble 8 and variant bits 10. The 122 free bits come
// from four independently seeded 32-bit multiplicative hashes of the UTF-16 code units, each
// finished with an avalanche step so that similar inputs differ in about half their bits.

const SEEDS = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344] as const;

function lane(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ text.length, 0x27d4eb2d);
  h ^= h >>> 13;
  h = Math.imul(h, 0x165667b1);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

export function deterministicUuid(text: string): string {
  const [a, b, c, d] = SEEDS.map((seed) => hex8(lane(text, seed)));
  const h = `${a ?? ''}${b ?? ''}${c ?? ''}${d ?? ''}`;
  const version = `8${h.slice(13, 16)}`;
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16) + h.slice(17, 20);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${version}-${variant}-${h.slice(20, 32)}`;
}

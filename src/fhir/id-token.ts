// Reading the signed-in user from an OpenID Connect id_token (SMART App Launch 2.x §2.0.9).

/**
 * Decodes a JWT payload without verifying it. Acceptable for the id_token only because it came
 * straight from the token endpoint over TLS (OpenID Connect Core §3.1.3.7) and is used for
 * display; access decisions stay with the FHIR server. fhirclient's own decoder uses `atob`
 * directly, which rejects base64url's `-` and `_`, so it is not used here.
 */
function decodeJwtPayload(token: string): unknown {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** The `fhirUser` claim (or the older `profile`) from an id_token. */
export function readFhirUserClaim(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  const claims = decodeJwtPayload(idToken);
  if (typeof claims !== 'object' || claims === null) return undefined;
  if ('fhirUser' in claims && typeof claims.fhirUser === 'string') return claims.fhirUser;
  if ('profile' in claims && typeof claims.profile === 'string') return claims.profile;
  return undefined;
}

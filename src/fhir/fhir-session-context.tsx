import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import type { FhirSession } from './fhir-session';

const FhirSessionContext = createContext<FhirSession | undefined>(undefined);

export function FhirSessionProvider({
  session,
  children,
}: {
  session: FhirSession;
  children: ReactNode;
}) {
  return <FhirSessionContext value={session}>{children}</FhirSessionContext>;
}

/** The session of the current launch. Only valid below a `FhirSessionProvider`. */
export function useFhirSession(): FhirSession {
  const session = useContext(FhirSessionContext);
  if (!session) throw new Error('useFhirSession must be used below a FhirSessionProvider');
  return session;
}

// Community resources a referral can go to: HealthcareServices the EHR (or the sandbox) lists for
// the need's SDOHCC category (sdoh.md §3 "211 / Open Referral HSDS": an HSDS service maps to a
// HealthcareService provided by an Organization; it becomes the ServiceRequest's performer and
// the Task's owner).
import type { SdohDomain } from '../../clinical/sdoh-screening';
import type { FhirSession } from '../../fhir/fhir-session';
import { classifySessionError, isAbortError } from '../../fhir/session-failure';
import { DOMAIN_INFO } from '../../sdoh/sdoh-codes';

export interface CommunityResource {
  /** `HealthcareService/<id>`. */
  reference: string;
  display: string;
  /** The organization that provides it, and how to reach it, when given. */
  detail: string | undefined;
  /**
   * The providing Organization: the referral Task's owner (sdoh.md §1.2 "owner is the CBO/CP"),
   * the HealthcareService being the ServiceRequest's performer.
   */
  organization: fhir4.Reference | undefined;
}

export type CommunityResourceSearch =
  | { kind: 'found'; resources: CommunityResource[] }
  /** The EHR does not offer a directory (403/404/400 on the search): the clinician names one. */
  | { kind: 'unavailable' };

/** The search for a domain's services (R4 HealthcareService `service-category`). */
export function communityResourceSearch(domain: SdohDomain): string {
  const category = DOMAIN_INFO[domain].category;
  return `HealthcareService?service-category=${encodeURIComponent(`${category.system}|${category.code}`).replace(/%7C/gi, '|')}&_count=50`;
}

function describe(service: fhir4.HealthcareService): CommunityResource | undefined {
  if (service.id === undefined) return undefined;
  const provider = service.providedBy?.display;
  const phone = service.telecom?.find((t) => t.system === 'phone')?.value;
  const detail = [provider, phone].filter((x): x is string => x !== undefined).join(' · ');
  return {
    reference: `HealthcareService/${service.id}`,
    display: service.name ?? provider ?? `HealthcareService/${service.id}`,
    detail: detail === '' ? undefined : detail,
    organization: service.providedBy?.reference === undefined ? undefined : service.providedBy,
  };
}

export async function searchCommunityResources(
  session: FhirSession,
  domain: SdohDomain,
  signal: AbortSignal,
): Promise<CommunityResourceSearch> {
  try {
    const bundle = await session.request<fhir4.Bundle>(communityResourceSearch(domain), {
      signal,
    });
    const resources = (bundle.entry ?? []).flatMap((entry) => {
      const resource = entry.resource;
      if (resource?.resourceType !== 'HealthcareService' || resource.active === false) return [];
      const described = describe(resource);
      return described === undefined ? [] : [described];
    });
    return { kind: 'found', resources };
  } catch (error) {
    if (isAbortError(error)) throw error;
    const failure = classifySessionError(error);
    if (failure.kind === 'expired') throw error;
    return { kind: 'unavailable' };
  }
}

import { formatHumanName } from '../features/patient/human-name';
import type { SignedInUser } from '../features/patient/read-launch-context';

/** The signed-in user's display name ("Dr. Jane Smith"), or undefined when it can't be read. */
export function userDisplayName(user: SignedInUser, today: string): string | undefined {
  if (user.kind !== 'read') return undefined;
  return formatHumanName(user.resource.name, today, { withPrefix: true });
}

/** What the app bar says about who is signed in. */
export function describeSignedInUser(user: SignedInUser, today: string): string | undefined {
  switch (user.kind) {
    case 'read':
      return userDisplayName(user, today) ?? `${user.ref.resourceType}/${user.ref.id}`;
    case 'unreadable':
      return `${user.ref.resourceType}/${user.ref.id}`;
    case 'not-identified':
      return undefined;
  }
}

// "Once per encounter" for the screening prompt (src/sdoh/prompts.ts rank 5; sdoh.md §3: each
// extra reminder in an encounter lowers acceptance): once shown in an encounter, a reload of the
// view in that encounter does not show it again (the strip still says "not screened", and a link
// brings the prompt back on request).
//
// Privacy: what is stored is a one-way hash of (FHIR server, encounter id, prompt key), never a
// patient id, name or the encounter id itself, and it goes to sessionStorage (this tab only,
// cleared when the tab closes), never localStorage. The prompt key names only the domains due.
// Where sessionStorage cannot be used (blocked in a sandboxed frame, full), the memory lasts for
// the page's lifetime instead. Without an encounter in the launch context there is no encounter
// to be "once per", so nothing is remembered and the prompt shows on every load.
import { deterministicUuid } from '../../sdoh/deterministic-uuid';
import type { SdohPrompt } from '../../sdoh/prompts';

/** The sessionStorage entry: a JSON array of hashes, most recent last. */
export const SHOWN_PROMPTS_STORAGE_KEY = 'equity-lens:shown-prompts';
/** Bounds the entry: a tab's day of visits stays far below it. */
export const MAX_REMEMBERED_PROMPTS = 200;

export interface EncounterScope {
  serverUrl: string;
  encounterId: string;
}

export interface PromptMemory {
  has(scope: EncounterScope, promptKey: string): boolean;
  remember(scope: EncounterScope, promptKey: string): void;
}

export type PromptStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The stored form of "this prompt was shown in this encounter": no identifier in the clear. */
export function shownPromptHash(scope: EncounterScope, promptKey: string): string {
  return deterministicUuid(
    `equity-lens shown prompt|${scope.serverUrl}|Encounter/${scope.encounterId}|${promptKey}`,
  );
}

function readHashes(storage: PromptStorage | undefined): string[] {
  if (storage === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(storage.getItem(SHOWN_PROMPTS_STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    // Unreadable or blocked: nothing is remembered, so the prompt shows (the safe side).
    return [];
  }
}

/**
 * A memory kept in `storage` (sessionStorage in the browser) and in this object, so that a write
 * the storage refuses is still remembered for the page's lifetime.
 */
export function createPromptMemory(storage: PromptStorage | undefined): PromptMemory {
  const local = new Set<string>();
  return {
    has(scope, promptKey) {
      const hash = shownPromptHash(scope, promptKey);
      return local.has(hash) || readHashes(storage).includes(hash);
    },
    remember(scope, promptKey) {
      const hash = shownPromptHash(scope, promptKey);
      local.add(hash);
      if (storage === undefined) return;
      const hashes = readHashes(storage).filter((h) => h !== hash);
      hashes.push(hash);
      try {
        storage.setItem(
          SHOWN_PROMPTS_STORAGE_KEY,
          JSON.stringify(hashes.slice(-MAX_REMEMBERED_PROMPTS)),
        );
      } catch {
        // Quota or a blocked store: the in-page memory above still holds it.
      }
    },
  };
}

/** The browser's sessionStorage, when the page may use it. */
export function browserSessionStorage(): PromptStorage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    // A sandboxed frame without allow-same-origin throws on access.
    return undefined;
  }
}

/**
 * The prompts for this load: `build` given the screening prompts already shown in the encounter
 * (`wasShown`), so a hidden screening card leaves its place to nothing rather than being counted.
 * Returns the prompts and the keys held back.
 */
export function promptsForVisit(
  build: (shownThisEncounter: ReadonlySet<string>) => SdohPrompt[],
  wasShown: (promptKey: string) => boolean,
): { prompts: SdohPrompt[]; heldBack: string[] } {
  const first = build(new Set());
  const heldBack = first
    .filter((p) => p.kind === 'screening-due' && wasShown(p.key))
    .map((p) => p.key);
  return heldBack.length === 0
    ? { prompts: first, heldBack }
    : { prompts: build(new Set(heldBack)), heldBack };
}

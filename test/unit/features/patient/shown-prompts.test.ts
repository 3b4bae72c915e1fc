import { describe, expect, it } from 'vitest';
import {
  MAX_REMEMBERED_PROMPTS,
  SHOWN_PROMPTS_STORAGE_KEY,
  createPromptMemory,
  promptsForVisit,
  shownPromptHash,
} from '../../../../src/features/patient/shown-prompts';
import type { PromptStorage } from '../../../../src/features/patient/shown-prompts';
import { readSdohDomainStatuses } from '../../../../src/sdoh/domain-states';
import { buildSdohPrompts } from '../../../../src/sdoh/prompts';

/** A Storage stand-in (sessionStorage's getItem/setItem), optionally refusing writes. */
function fakeStorage(options: { refuseWrites?: boolean } = {}) {
  const items = new Map<string, string>();
  const storage: PromptStorage = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (options.refuseWrites) throw new DOMException('full', 'QuotaExceededError');
      items.set(key, value);
    },
  };
  return { storage, items };
}

const SERVER = 'https://ehr.example.org/fhir';
const visit = { serverUrl: SERVER, encounterId: 'enc-4711' };
const PROMPT = 'prompt-key-1';

describe('the "shown in this encounter" memory', () => {
  it('remembers a prompt across loads (a new memory over the same storage)', () => {
    const { storage } = fakeStorage();
    createPromptMemory(storage).remember(visit, PROMPT);
    const afterReload = createPromptMemory(storage);
    expect(afterReload.has(visit, PROMPT)).toBe(true);
    expect(afterReload.has(visit, 'another-prompt')).toBe(false);
  });

  it('is per encounter and per server', () => {
    const { storage } = fakeStorage();
    createPromptMemory(storage).remember(visit, PROMPT);
    const memory = createPromptMemory(storage);
    expect(memory.has({ serverUrl: SERVER, encounterId: 'enc-4712' }, PROMPT)).toBe(false);
    expect(
      memory.has({ serverUrl: 'https://other.example/fhir', encounterId: 'enc-4711' }, PROMPT),
    ).toBe(false);
  });

  it('stores only hashes: no encounter id, server or prompt key in the clear', () => {
    const { storage, items } = fakeStorage();
    createPromptMemory(storage).remember(visit, PROMPT);
    const stored = items.get(SHOWN_PROMPTS_STORAGE_KEY) ?? '';
    expect(JSON.parse(stored)).toEqual([shownPromptHash(visit, PROMPT)]);
    expect(stored).not.toContain('enc-4711');
    expect(stored).not.toContain('4711');
    expect(stored).not.toContain('ehr.example.org');
    expect(stored).not.toContain(PROMPT);
  });

  it('keeps at most the latest entries, once each', () => {
    const { storage, items } = fakeStorage();
    const memory = createPromptMemory(storage);
    for (let i = 0; i < MAX_REMEMBERED_PROMPTS + 5; i++) {
      memory.remember({ serverUrl: SERVER, encounterId: `enc-${i}` }, PROMPT);
    }
    memory.remember({ serverUrl: SERVER, encounterId: 'enc-10' }, PROMPT);
    const stored = JSON.parse(items.get(SHOWN_PROMPTS_STORAGE_KEY) ?? '[]') as string[];
    expect(stored).toHaveLength(MAX_REMEMBERED_PROMPTS);
    expect(new Set(stored).size).toBe(stored.length);
    const reloaded = createPromptMemory(storage);
    expect(reloaded.has({ serverUrl: SERVER, encounterId: 'enc-0' }, PROMPT)).toBe(false);
    expect(reloaded.has({ serverUrl: SERVER, encounterId: 'enc-10' }, PROMPT)).toBe(true);
    expect(stored.at(-1)).toBe(
      shownPromptHash({ serverUrl: SERVER, encounterId: 'enc-10' }, PROMPT),
    );
  });

  it('falls back to the page lifetime when storage refuses or is absent, and reads junk as empty', () => {
    const refusing = createPromptMemory(fakeStorage({ refuseWrites: true }).storage);
    refusing.remember(visit, PROMPT);
    expect(refusing.has(visit, PROMPT)).toBe(true);

    const none = createPromptMemory(undefined);
    none.remember(visit, PROMPT);
    expect(none.has(visit, PROMPT)).toBe(true);
    expect(createPromptMemory(undefined).has(visit, PROMPT)).toBe(false);

    const { storage, items } = fakeStorage();
    items.set(SHOWN_PROMPTS_STORAGE_KEY, '{not json');
    const memory = createPromptMemory(storage);
    expect(memory.has(visit, PROMPT)).toBe(false);
    memory.remember(visit, PROMPT);
    expect(createPromptMemory(storage).has(visit, PROMPT)).toBe(true);
  });
});

describe('promptsForVisit', () => {
  // No screenings at all: every domain is "not screened", so the one screening card is due.
  const statuses = readSdohDomainStatuses(
    {
      observations: [],
      questionnaireResponses: [],
      conditions: [],
      serviceRequests: [],
      tasks: [],
      procedures: [],
    },
    '2026-12-02',
    { kind: 'available' },
  );
  const build = (shownThisEncounter: ReadonlySet<string>) =>
    buildSdohPrompts(statuses, {
      patient: { reference: 'Patient/p1' },
      requester: { reference: 'Practitioner/d1' },
      now: '2026-12-02',
      shownThisEncounter,
    });

  it('shows the screening prompt the first time and holds it back once shown', () => {
    const first = promptsForVisit(build, () => false);
    expect(first.prompts.map((p) => p.kind)).toEqual(['screening-due']);
    expect(first.heldBack).toEqual([]);
    const key = first.prompts[0]?.key ?? '';

    const { storage } = fakeStorage();
    createPromptMemory(storage).remember(visit, key);
    const memory = createPromptMemory(storage);
    const again = promptsForVisit(build, (k) => memory.has(visit, k));
    expect(again.prompts).toEqual([]);
    expect(again.heldBack).toEqual([key]);

    // Another encounter shows it again.
    const next = promptsForVisit(build, (k) =>
      memory.has({ serverUrl: SERVER, encounterId: 'enc-9' }, k),
    );
    expect(next.prompts.map((p) => p.kind)).toEqual(['screening-due']);
  });
});

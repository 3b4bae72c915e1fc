import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { SdohDomain } from '../../clinical/sdoh-screening';
import type { FhirSession } from '../../fhir/fhir-session';
import { buildDeclineRecord } from '../../sdoh/decline';
import type { SdohStateOptions, TaskAvailability } from '../../sdoh/domain-states';
import { readSdohDomainStatuses } from '../../sdoh/domain-states';
import type { SdohPrompt } from '../../sdoh/prompts';
import { buildSdohPrompts } from '../../sdoh/prompts';
import { buildScreenNowTask } from '../../sdoh/write-back';
import { writeSupportOf } from '../../fhir/write-support';
import { CareGapsSection } from './care-gaps-section';
import { readDemographicItems } from './demographic-items';
import { DemographicsSection } from './demographics-section';
import type { DataSource, PatientData } from './load-patient-data';
import { DATA_SOURCE_LABELS } from './load-patient-data';
import { ReferDialog } from './refer-dialog';
import type { CardAction, PromptAccess } from './sdoh-prompt-cards';
import { SdohPromptCards } from './sdoh-prompt-cards';
import type { EncounterScope, PromptMemory } from './shown-prompts';
import { browserSessionStorage, createPromptMemory, promptsForVisit } from './shown-prompts';
import { SocialNeedsStrip } from './social-needs-strip';
import type { Checklist } from './patient-prefetch';
import type { RefreshReason } from './use-patient-checklist';
import { describeWriteFailure, sendConditionalCreate, writeAccessFor } from './write-back';

export interface PatientChecklistProps {
  session: FhirSession;
  checklist: Checklist;
  /** 'YYYY-MM-DD': "now" for the state table (sdoh.md §4). */
  today: string;
  requester: fhir4.Reference;
  patientName: string | undefined;
  refreshing: boolean;
  refreshError: string | undefined;
  onRefresh: (reason: RefreshReason) => void;
  sdohOptions?: SdohStateOptions;
  /** A new random UUID per draft (crypto.randomUUID in the browser). */
  newKey?: () => string;
  /** The clock writes are stamped with (authoredOn, performed). */
  clock?: () => Date;
  /** Where "screening prompt shown in this encounter" is kept; by default sessionStorage. */
  promptMemory?: PromptMemory;
}

const CARE_GAP_SOURCES: readonly DataSource[] = [
  'observations',
  'conditions',
  'procedures',
  'service-requests',
  'coverage',
  'medication-requests',
  'device-requests',
];
const SOCIAL_NEED_SOURCES: readonly DataSource[] = [
  'observations',
  'questionnaire-responses',
  'conditions',
  'procedures',
  'service-requests',
  'tasks',
];
const DEMOGRAPHIC_SOURCES: readonly DataSource[] = ['observations'];

function Section({
  id,
  title,
  actions,
  children,
}: {
  id: string;
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card variant="outlined" component="section" aria-labelledby={`${id}-title`}>
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        <Box
          sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 1 }}
        >
          <Typography id={`${id}-title`} variant="h6" component="h2">
            {title}
          </Typography>
          {actions}
        </Box>
        {children}
      </CardContent>
    </Card>
  );
}

/** "Not available from this EHR" for the section's sources that were refused or missing. */
function SourceNotes({ data, sources }: { data: PatientData; sources: readonly DataSource[] }) {
  const notes = sources.flatMap((source) => {
    const outcome = data.sources[source];
    if (outcome.kind === 'loaded') return [];
    return [
      {
        source,
        text:
          outcome.kind === 'not-available'
            ? `${DATA_SOURCE_LABELS[source]}: not available from this EHR.`
            : outcome.kind === 'not-offered'
              ? `${DATA_SOURCE_LABELS[source]}: not kept by this EHR.`
              : `${DATA_SOURCE_LABELS[source]}: could not be loaded (reload to try again).`,
      },
    ];
  });
  if (notes.length === 0) return null;
  return (
    <Alert severity="info" data-testid="source-notes">
      {notes.map((note) => (
        <div key={note.source} data-testid={`source-unavailable-${note.source}`}>
          {note.text}
        </div>
      ))}
    </Alert>
  );
}

function taskAvailability(data: PatientData): TaskAvailability {
  const outcome = data.sources.tasks;
  if (outcome.kind === 'not-available') {
    return {
      kind: 'unavailable',
      reason: outcome.reason === 'forbidden' ? 'forbidden' : 'not-supported',
    };
  }
  if (outcome.kind === 'not-offered') return { kind: 'unavailable', reason: 'not-supported' };
  if (outcome.kind === 'failed') return { kind: 'unavailable', reason: 'failed' };
  if (data.writeSupport.kind === 'known' && !('Task' in data.writeSupport.support.resources)) {
    return { kind: 'unavailable', reason: 'not-supported' };
  }
  return { kind: 'available' };
}

/** Sources the EHR keeps but did not give: the care gaps may be wrong without them. */
function missingLabels(data: PatientData, sources: readonly DataSource[]): string[] {
  return sources
    .filter((s) => data.sources[s].kind === 'not-available' || data.sources[s].kind === 'failed')
    .map((s) => DATA_SOURCE_LABELS[s].toLowerCase());
}

/** Sources the EHR does not keep at all: nothing is missing, but the measures cannot see them. */
function notOffered(data: PatientData, sources: readonly DataSource[]): DataSource[] {
  return sources.filter((s) => data.sources[s].kind === 'not-offered');
}

function defaultClock(): Date {
  return new Date();
}

function defaultKey(): string {
  return crypto.randomUUID();
}

/** The checklist below the banner: social needs (strip + prompts), care gaps, demographics. */
export function PatientChecklist({
  session,
  checklist,
  today,
  requester,
  patientName,
  refreshing,
  refreshError,
  onRefresh,
  sdohOptions,
  newKey = defaultKey,
  clock = defaultClock,
  promptMemory,
}: PatientChecklistProps) {
  const { data } = checklist;
  const patientId = data.patient.id ?? '';
  const patientRef = useMemo<fhir4.Reference>(
    () => ({ reference: `Patient/${patientId}` }),
    [patientId],
  );
  const statuses = useMemo(
    () =>
      readSdohDomainStatuses(
        {
          observations: data.resources.observations,
          questionnaireResponses: data.resources.questionnaireResponses,
          conditions: data.resources.conditions,
          serviceRequests: data.resources.serviceRequests,
          tasks: data.resources.tasks,
          procedures: data.resources.procedures,
        },
        today,
        taskAvailability(data),
        sdohOptions,
      ),
    [data, today, sdohOptions],
  );
  const [memory] = useState(() => promptMemory ?? createPromptMemory(browserSessionStorage()));
  const scope = useMemo<EncounterScope | undefined>(
    () =>
      session.encounterId === undefined
        ? undefined
        : { serverUrl: session.serverUrl, encounterId: session.encounterId },
    [session.serverUrl, session.encounterId],
  );
  /** Screening prompts this mount has shown: they stay while the view is open. */
  const shownHere = useRef(new Set<string>());
  const [screeningAgain, setScreeningAgain] = useState(false);
  const { prompts, heldBack } = useMemo(
    () =>
      promptsForVisit(
        (shownThisEncounter) =>
          buildSdohPrompts(statuses, {
            patient: patientRef,
            requester,
            now: today,
            ...(session.encounterId === undefined
              ? {}
              : { encounter: { reference: `Encounter/${session.encounterId}` } }),
            shownThisEncounter,
          }),
        (key) =>
          !screeningAgain &&
          scope !== undefined &&
          !shownHere.current.has(key) &&
          memory.has(scope, key),
      ),
    [statuses, patientRef, requester, today, session.encounterId, scope, memory, screeningAgain],
  );
  useEffect(() => {
    if (scope === undefined) return;
    for (const prompt of prompts) {
      if (prompt.kind !== 'screening-due' || shownHere.current.has(prompt.key)) continue;
      shownHere.current.add(prompt.key);
      memory.remember(scope, prompt.key);
    }
  }, [prompts, scope, memory]);
  const demographics = useMemo(
    () => readDemographicItems(data.patient, data.resources.observations),
    [data.patient, data.resources.observations],
  );
  const access: PromptAccess = {
    referral: writeAccessFor(['ServiceRequest', 'Task'], session.grantedScopes, data.writeSupport),
    decline: writeAccessFor(['Procedure'], session.grantedScopes, data.writeSupport),
    screen: writeAccessFor(['Task'], session.grantedScopes, data.writeSupport),
  };

  const [referring, setReferring] = useState<{ domain: SdohDomain; key: string }>();
  const [actions, setActions] = useState<Record<string, CardAction>>({});
  const [keys] = useState(() => new Map<string, { key: string; attempts: number }>());
  const [sentNote, setSentNote] = useState<string>();
  /** Prompts set aside for this visit, with the override reason chosen (CDS Hooks feedback). */
  const [dismissed, setDismissed] = useState<ReadonlyMap<string, fhir4.Coding>>(new Map());
  const shownPrompts = prompts.filter((p) => !dismissed.has(p.key));

  const attemptFor = (promptKey: string) => {
    const entry = keys.get(promptKey) ?? { key: newKey(), attempts: 0 };
    entry.attempts += 1;
    keys.set(promptKey, entry);
    return entry;
  };

  const runAction = (
    prompt: SdohPrompt,
    write: (key: string, retry: boolean) => Promise<string>,
  ) => {
    const attempt = attemptFor(prompt.key);
    setActions((previous) => ({ ...previous, [prompt.key]: { kind: 'sending' } }));
    write(attempt.key, attempt.attempts > 1).then(
      (message) => {
        setActions((previous) => ({ ...previous, [prompt.key]: { kind: 'done', message } }));
        onRefresh('write');
      },
      (error: unknown) =>
        setActions((previous) => ({
          ...previous,
          [prompt.key]: { kind: 'failed', message: describeWriteFailure(error) },
        })),
    );
  };

  const onDecline = (prompt: SdohPrompt) => {
    const domain = prompt.domains[0];
    const status = statuses.find((s) => s.domain === domain);
    if (domain === undefined || status === undefined) return;
    const reason = 'need' in status.state ? status.state.need.reasonReferences[0] : undefined;
    runAction(prompt, async (key, retry) => {
      await sendConditionalCreate(
        session,
        buildDeclineRecord({
          domain,
          patient: patientRef,
          recorder: requester,
          when: clock().toISOString(),
          idempotencyKey: key,
          ...(reason === undefined ? {} : { reason: { reference: reason } }),
        }),
        retry,
        new AbortController().signal,
      );
      return 'Recorded: the patient declines help. The prompt is silenced; "Offer again" stays on the strip.';
    });
  };

  const onScreen = (prompt: SdohPrompt) => {
    runAction(prompt, async (key, retry) => {
      const write = buildScreenNowTask({
        domains: prompt.domains,
        patient: patientRef,
        requester,
        authoredOn: clock().toISOString(),
        idempotencyKey: key,
      });
      const task = await sendConditionalCreate(session, write, retry, new AbortController().signal);
      return `Sent to the patient: ${write.resource.description ?? 'complete the questionnaire'} (Task/${task.id ?? ''}).`;
    });
  };

  const referStatus = referring ? statuses.find((s) => s.domain === referring.domain) : undefined;
  const taskSupported =
    data.writeSupport.kind === 'known' && writeSupportOf(data.writeSupport.support, 'Task').create;

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Section
        id="social-needs"
        title="Social needs"
        actions={
          <Button
            size="small"
            variant="outlined"
            onClick={() => onRefresh('manual')}
            disabled={refreshing}
          >
            {refreshing ? 'Refreshing…' : 'Refresh referral status'}
          </Button>
        }
      >
        <SourceNotes data={data} sources={SOCIAL_NEED_SOURCES} />
        {refreshError ? <Alert severity="warning">{refreshError}</Alert> : null}
        {sentNote ? (
          <Alert
            severity="success"
            data-testid="referral-sent"
            onClose={() => setSentNote(undefined)}
          >
            {sentNote}
          </Alert>
        ) : null}
        <SocialNeedsStrip
          statuses={statuses}
          onOfferAgain={(domain) => setReferring({ domain, key: newKey() })}
        />
        <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600, mt: 1 }}>
          Prompts
        </Typography>
        <SdohPromptCards
          prompts={shownPrompts}
          access={access}
          actions={actions}
          onRefer={(domain) => setReferring({ domain, key: newKey() })}
          onDecline={onDecline}
          onScreen={onScreen}
          onDismiss={(prompt, reason) =>
            setDismissed((previous) => new Map(previous).set(prompt.key, reason))
          }
        />
        {heldBack.length > 0 ? (
          <Typography variant="body2" color="text.secondary" data-testid="screening-prompt-held">
            The screening prompt was shown earlier in this encounter.{' '}
            <Button
              size="small"
              sx={{ p: 0, minWidth: 0, verticalAlign: 'baseline' }}
              onClick={() => setScreeningAgain(true)}
            >
              Show it again
            </Button>
          </Typography>
        ) : null}
        {dismissed.size > 0 ? (
          <Typography variant="body2" color="text.secondary" data-testid="prompts-dismissed">
            Set aside for this visit:{' '}
            {[...dismissed.values()].map((reason) => reason.display ?? reason.code).join('; ')}.
          </Typography>
        ) : null}
        {!taskSupported && prompts.some((p) => p.kind === 'screening-due') ? (
          <Typography variant="body2" color="text.secondary">
            To screen now without a patient Task, ask the questions in the suggested instrument
            during the visit and record the answers in the EHR.
          </Typography>
        ) : null}
      </Section>
      <Section id="care-gaps" title="Care gaps">
        <CareGapsSection
          state={checklist.careGaps}
          missing={missingLabels(data, CARE_GAP_SOURCES)}
          notOffered={notOffered(data, CARE_GAP_SOURCES)}
        />
      </Section>
      <Section id="demographics" title="Demographics">
        <SourceNotes data={data} sources={DEMOGRAPHIC_SOURCES} />
        <DemographicsSection items={demographics} />
      </Section>
      {referring && referStatus ? (
        <ReferDialog
          session={session}
          status={referStatus}
          patient={patientRef}
          requester={requester}
          now={clock().toISOString()}
          access={access.referral}
          idempotencyKey={referring.key}
          patientName={patientName}
          onClose={() => setReferring(undefined)}
          onSent={(sent) => {
            setReferring(undefined);
            setSentNote(
              `Referral sent: ${sent.serviceRequest} with ${sent.task} (${sent.via === 'transaction' ? 'one transaction' : 'two linked creates'}).`,
            );
            onRefresh('write');
          }}
        />
      ) : null}
    </Box>
  );
}

import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import type { FhirSession } from '../../fhir/fhir-session';
import type { SdohDomainStatus } from '../../sdoh/domain-states';
import { serviceChoices } from '../../sdoh/sdoh-codes';
import type { ReferralDraft } from '../../sdoh/write-back';
import { referralText } from '../../sdoh/write-back';
import type { CommunityResourceSearch } from './community-resources';
import { searchCommunityResources } from './community-resources';
import type { SentReferral, WriteAccess } from './write-back';
import { describeReadOnly, describeWriteFailure, sendReferral } from './write-back';

export interface ReferDialogProps {
  session: FhirSession;
  status: SdohDomainStatus;
  patient: fhir4.Reference;
  requester: fhir4.Reference;
  /** FHIR dateTime of "now". */
  now: string;
  access: WriteAccess;
  /** A fresh random UUID for this draft, kept across retries. */
  idempotencyKey: string;
  patientName: string | undefined;
  onClose: () => void;
  onSent: (sent: SentReferral) => void;
}

type Sending = { kind: 'idle' } | { kind: 'sending' } | { kind: 'failed'; message: string };

function reasonsOf(status: SdohDomainStatus): fhir4.Reference[] {
  const state = status.state;
  switch (state.kind) {
    case 'positive-no-action':
    case 'declined-help':
    case 'referral-open':
    case 'referral-closed':
    case 'completed':
    case 'status-unknown':
      return state.need.reasonReferences.map((reference) => ({ reference }));
    case 'not-screened':
    case 'stale':
    case 'declined-to-answer':
    case 'negative':
      return [];
  }
}

/** Refer: service, community resource, note, "do not contact the patient directly", confirm. */
export function ReferDialog({
  session,
  status,
  patient,
  requester,
  now,
  access,
  idempotencyKey,
  patientName,
  onClose,
  onSent,
}: ReferDialogProps) {
  const services = serviceChoices(status.domain);
  const [serviceCode, setServiceCode] = useState(services[0]?.code ?? '');
  const [resources, setResources] = useState<CommunityResourceSearch | undefined>();
  const [resourceRef, setResourceRef] = useState('');
  const [resourceName, setResourceName] = useState('');
  const [note, setNote] = useState('');
  const [doNotContact, setDoNotContact] = useState(status.sensitive);
  const [sending, setSending] = useState<Sending>({ kind: 'idle' });
  const [copied, setCopied] = useState(false);
  const attempts = useRef(0);
  const inFlight = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    searchCommunityResources(session, status.domain, controller.signal).then(
      (found) => {
        if (controller.signal.aborted) return;
        setResources(found);
        if (found.kind === 'found' && found.resources[0]) {
          setResourceRef(found.resources[0].reference);
        }
      },
      () => {
        if (!controller.signal.aborted) setResources({ kind: 'unavailable' });
      },
    );
    return () => controller.abort();
  }, [session, status.domain]);

  useEffect(() => () => inFlight.current?.abort(), []);

  const service = services.find((s) => s.code === serviceCode) ?? services[0];
  const chosen =
    resources?.kind === 'found'
      ? resources.resources.find((r) => r.reference === resourceRef)
      : undefined;
  const performer: fhir4.Reference | undefined = chosen
    ? { reference: chosen.reference, display: chosen.display }
    : resourceName.trim() !== ''
      ? { display: resourceName.trim() }
      : undefined;

  const draft: ReferralDraft | undefined =
    service === undefined
      ? undefined
      : {
          domain: status.domain,
          service,
          patient,
          requester,
          ...(performer === undefined ? {} : { performer }),
          ...(chosen?.organization === undefined ? {} : { owner: chosen.organization }),
          authoredOn: now,
          reasons: reasonsOf(status),
          doNotContactPatient: doNotContact,
          idempotencyKey,
          ...(note.trim() === '' ? {} : { note }),
          priority:
            status.state.kind === 'positive-no-action' && status.state.need.critical
              ? 'urgent'
              : 'routine',
        };

  const send = () => {
    if (draft === undefined || access.kind !== 'writable') return;
    const controller = new AbortController();
    inFlight.current = controller;
    attempts.current += 1;
    setSending({ kind: 'sending' });
    sendReferral(session, draft, access, attempts.current > 1, controller.signal).then(
      (sent) => {
        if (!controller.signal.aborted) onSent(sent);
      },
      (error: unknown) => {
        // The draft stays as it is; a retry looks for what this attempt may have made.
        if (!controller.signal.aborted) {
          setSending({ kind: 'failed', message: describeWriteFailure(error) });
        }
      },
    );
  };

  const text =
    draft === undefined
      ? ''
      : referralText(draft, patientName === undefined ? {} : { patientName });
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => setCopied(true));
  };
  const titleId = `refer-${status.domain}-title`;

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Refer: {status.label}</DialogTitle>
      <DialogContent
        sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}
      >
        {access.kind === 'read-only' ? (
          <Alert severity="info" data-testid="refer-read-only">
            {describeReadOnly(access.reason)} Copy the referral below into the EHR instead.
          </Alert>
        ) : null}
        <TextField
          select
          label="Service"
          value={serviceCode}
          onChange={(event) => setServiceCode(event.target.value)}
        >
          {services.map((s) => (
            <MenuItem key={s.code} value={s.code}>
              {s.display}
            </MenuItem>
          ))}
        </TextField>
        {resources === undefined ? (
          <Typography variant="body2" color="text.secondary" role="status">
            Looking for community resources…
          </Typography>
        ) : resources.kind === 'found' && resources.resources.length > 0 ? (
          <TextField
            select
            label="Community resource"
            value={resourceRef}
            onChange={(event) => setResourceRef(event.target.value)}
            helperText={chosen?.detail}
          >
            {resources.resources.map((r) => (
              <MenuItem key={r.reference} value={r.reference}>
                {r.display}
              </MenuItem>
            ))}
          </TextField>
        ) : (
          <TextField
            label="Community resource (name)"
            value={resourceName}
            onChange={(event) => setResourceName(event.target.value)}
            helperText="This EHR lists no community resources for this need: name the organization."
          />
        )}
        <TextField
          label="Note to the organization (optional)"
          value={note}
          onChange={(event) => setNote(event.target.value)}
          multiline
          minRows={2}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={doNotContact}
              onChange={(event) => setDoNotContact(event.target.checked)}
            />
          }
          label="Do not contact the patient directly"
        />
        {access.kind === 'read-only' ? (
          <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
            <TextField
              label="Referral text"
              value={text}
              multiline
              minRows={5}
              slotProps={{ input: { readOnly: true } }}
            />
            <Button onClick={copy} variant="outlined" sx={{ alignSelf: 'flex-start' }}>
              {copied ? 'Copied' : 'Copy referral text'}
            </Button>
          </Box>
        ) : null}
        {sending.kind === 'failed' ? (
          <Alert severity="error" data-testid="refer-error">
            The referral was not confirmed. {sending.message}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{access.kind === 'read-only' ? 'Close' : 'Cancel'}</Button>
        {access.kind === 'writable' ? (
          <Button
            variant="contained"
            onClick={send}
            disabled={draft === undefined || sending.kind === 'sending'}
          >
            {sending.kind === 'sending'
              ? 'Sending…'
              : sending.kind === 'failed'
                ? 'Try again'
                : 'Send referral'}
          </Button>
        ) : null}
      </DialogActions>
    </Dialog>
  );
}

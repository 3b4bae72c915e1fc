import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { SessionFailure } from '../fhir/session-failure';
import { FullScreenMessage } from '../ui/full-screen-message';

export interface SessionFailureScreenProps {
  failure: SessionFailure;
  /** The sandbox launcher, offered when the page was opened without a launch. */
  sandboxUrl: string;
  onRetry: () => void;
}

function RetryButton({ onRetry }: { onRetry: () => void }) {
  return (
    <Button variant="contained" onClick={onRetry}>
      Retry
    </Button>
  );
}

/** The full screen for each way a session can fail. */
export function SessionFailureScreen({ failure, sandboxUrl, onRetry }: SessionFailureScreenProps) {
  const testId = `session-failure-${failure.kind}`;
  switch (failure.kind) {
    case 'no-launch':
      return (
        <FullScreenMessage
          testId={testId}
          severity="info"
          title="Open this app from your EHR"
          summary="This page was opened without a launch, so Equity Lens doesn't know which EHR, patient or user to work with."
          actions={
            <Button variant="contained" href={sandboxUrl}>
              Open the sandbox launcher
            </Button>
          }
        >
          <Typography>
            Equity Lens is a SMART on FHIR app. Start it from a patient&apos;s chart in your EHR;
            when testing, start it from the <Link href={sandboxUrl}>sandbox launcher</Link>. A
            launch also lasts only as long as its browser tab: a new tab needs a new launch.
          </Typography>
        </FullScreenMessage>
      );
    case 'denied':
      return (
        <FullScreenMessage
          testId={testId}
          severity="error"
          title="Access was denied"
          summary={
            failure.description
              ? `The authorization server said: “${failure.description}”`
              : 'The authorization server did not grant Equity Lens access.'
          }
        >
          <Typography>
            Ask your administrator to allow Equity Lens for your account, or relaunch the app from
            your EHR and approve the access it asks for.
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Error code: <code>{failure.error}</code>
          </Typography>
        </FullScreenMessage>
      );
    case 'expired':
      return (
        <FullScreenMessage
          testId={testId}
          severity="warning"
          title="Your EHR session has ended"
          summary="Your EHR session has ended — relaunch the app from your EHR."
        >
          <Typography>
            For your patients&apos; privacy, Equity Lens stops when the access your EHR granted
            expires, and keeps nothing once it does.
          </Typography>
        </FullScreenMessage>
      );
    case 'forbidden':
      return (
        <FullScreenMessage
          testId={testId}
          severity="error"
          title="Equity Lens can't read this record"
          summary="The access granted to this launch doesn't include the patient's record."
        >
          <Typography>
            Ask your administrator to grant Equity Lens read access to patient records, then
            relaunch the app from your EHR.
          </Typography>
        </FullScreenMessage>
      );
    case 'unreachable':
      return (
        <FullScreenMessage
          testId={testId}
          severity="error"
          title="Can't reach the FHIR server"
          summary="Equity Lens couldn't connect to your EHR's FHIR server."
          actions={<RetryButton onRetry={onRetry} />}
        >
          <Typography>
            Check your network connection and try again. If the problem continues, your EHR may be
            down for maintenance; contact your EHR support team.
          </Typography>
        </FullScreenMessage>
      );
    case 'server':
      return (
        <FullScreenMessage
          testId={testId}
          severity="error"
          title="The FHIR server reported a problem"
          summary={
            failure.status === undefined
              ? "Your EHR's FHIR server sent a response Equity Lens couldn't read."
              : `Your EHR's FHIR server answered with an error (HTTP ${failure.status}).`
          }
          actions={<RetryButton onRetry={onRetry} />}
        >
          <Typography>
            Try again in a moment. If it keeps happening, contact your EHR support team.
          </Typography>
        </FullScreenMessage>
      );
  }
}

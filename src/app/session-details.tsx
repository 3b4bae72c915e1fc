import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import { useId, useState } from 'react';
import { useFhirSession } from '../fhir/fhir-session-context';

function Row({ label, value }: { label: string; value: string }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: '12rem 1fr', gap: 1, py: 0.5 }}>
      <Typography component="dt" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" sx={{ m: 0, wordBreak: 'break-all' }}>
        {value}
      </Typography>
    </Box>
  );
}

/**
 * A "Session" button and dialog describing the launch: server, context and granted scopes.
 * Tokens are deliberately absent: nothing here is a credential.
 */
export function SessionDetails() {
  const session = useFhirSession();
  const [open, setOpen] = useState(false);
  const titleId = useId();
  const scopesId = useId();
  return (
    <>
      <Button color="inherit" variant="outlined" size="small" onClick={() => setOpen(true)}>
        Session
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={titleId} fullWidth>
        <DialogTitle id={titleId}>Session details</DialogTitle>
        <DialogContent dividers>
          <Box component="dl" sx={{ m: 0 }}>
            <Row label="FHIR server" value={session.serverUrl} />
            <Row
              label="Signed-in user"
              value={
                session.user ? `${session.user.resourceType}/${session.user.id}` : 'Not identified'
              }
            />
            <Row
              label="Patient in context"
              value={session.patientId ? `Patient/${session.patientId}` : 'None'}
            />
            <Row
              label="Encounter in context"
              value={session.encounterId ? `Encounter/${session.encounterId}` : 'None'}
            />
            <Row
              label="Patient banner"
              value={session.needPatientBanner ? 'Shown by Equity Lens' : 'Shown by the EHR'}
            />
          </Box>
          <Typography id={scopesId} variant="subtitle2" component="h2" sx={{ mt: 2 }}>
            Granted scopes
          </Typography>
          {session.grantedScopes.length > 0 ? (
            <List dense aria-labelledby={scopesId}>
              {session.grantedScopes.map((scope) => (
                <ListItem key={scope} disableGutters sx={{ py: 0 }}>
                  <code>{scope}</code>
                </ListItem>
              ))}
            </List>
          ) : (
            <Typography color="text.secondary">
              The authorization server did not report which scopes it granted.
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

// The SMART launch URL. Kept to plain DOM: this page exists only to redirect to the EHR's
// authorization server, and fhirclient's authorize() is already most of its weight.
import FHIR from 'fhirclient';
import { classifySessionError } from '../src/fhir/session-failure';
import { decideLaunch } from './clients';

const sandboxUrl: string =
  (import.meta.env.VITE_SANDBOX_URL as string | undefined) ?? 'http://127.0.0.1:4010/';

type Part = string | Node;

function el(tag: string, attrs: Record<string, string>, ...children: Part[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  // append() inserts strings as text nodes: launch parameters are never parsed as HTML.
  node.append(...children);
  return node;
}

function show(testId: string, kind: 'info' | 'error', ...children: Part[]): void {
  const main = document.getElementById('launch');
  if (!main) return;
  main.className = kind;
  main.setAttribute('data-testid', testId);
  main.replaceChildren(...children);
}

function showHelp(): void {
  show(
    'launch-help',
    'info',
    el('h1', {}, 'Open this app from your EHR or the sandbox launcher'),
    el(
      'p',
      {},
      'Equity Lens is a SMART on FHIR app: it starts from inside an EHR, which tells it which ' +
        'FHIR server, patient and user to work with. This page was opened without that ' +
        'information.',
    ),
    el('a', { class: 'button', href: sandboxUrl }, 'Open the sandbox launcher'),
    el(
      'details',
      {},
      el('summary', {}, 'For testers: how a launch reaches this page'),
      el(
        'p',
        {},
        'In an EHR launch the EHR opens ',
        el('code', {}, `${location.origin}/launch/?iss=<FHIR base URL>&launch=<handle>`),
        '. ',
        el('code', {}, 'iss'),
        ' names the FHIR server to authorize against; ',
        el('code', {}, 'launch'),
        ' is an opaque handle for the EHR session (patient, user, encounter). A standalone launch ' +
          'passes only ',
        el('code', {}, 'iss'),
        ' and the server then asks you to sign in and pick a patient.',
      ),
    ),
  );
}

function showUnknownIss(iss: string): void {
  show(
    'launch-unknown-iss',
    'error',
    el('h1', {}, 'This EHR is not configured for Equity Lens'),
    el(
      'p',
      {},
      'The launch came from ',
      el('code', {}, iss),
      ', which matches none of the EHRs Equity Lens is registered with. Ask your administrator ' +
        'to add it, or launch from the sandbox.',
    ),
    el('a', { class: 'button', href: sandboxUrl }, 'Open the sandbox launcher'),
  );
}

function showUnregistered(iss: string, label: string): void {
  show(
    'launch-unregistered',
    'error',
    el('h1', {}, `Equity Lens has no ${label} client id yet`),
    el(
      'p',
      {},
      'The launch came from ',
      el('code', {}, iss),
      `. Register the app with ${label} and put its client id in launch/clients.ts before ` +
        'launching from there.',
    ),
  );
}

function showFailure(iss: string, error: unknown): void {
  // fhirclient tries .well-known/smart-configuration, then /metadata, and keeps the network
  // error's text when both fail.
  const failure = classifySessionError(error);
  if (failure.kind === 'unreachable') {
    show(
      'launch-unreachable',
      'error',
      el('h1', {}, "Can't reach your EHR's FHIR server"),
      el(
        'p',
        {},
        'Equity Lens could not read the SMART configuration of ',
        el('code', {}, iss),
        '. The server may be down or unreachable from this network. Try launching again in a ' +
          'moment; if it keeps failing, contact your EHR support team.',
      ),
    );
    return;
  }
  show(
    'launch-error',
    'error',
    el('h1', {}, 'The launch could not start'),
    el(
      'p',
      {},
      'Equity Lens could not start authorization with ',
      el('code', {}, iss),
      '. Relaunch the app from your EHR; if it keeps failing, contact your EHR support team.',
    ),
  );
}

async function start(): Promise<void> {
  const decision = decideLaunch({
    launchUrl: location.href,
    inFrame: window.self !== window.top,
  });
  switch (decision.kind) {
    case 'help':
      showHelp();
      return;
    case 'unknown-iss':
      showUnknownIss(decision.iss);
      return;
    case 'unregistered':
      showUnregistered(decision.iss, decision.label);
      return;
    case 'authorize':
      try {
        // Redirects away on success; the app page (index.html) completes the flow.
        await FHIR.oauth2.authorize(decision.client);
      } catch (error) {
        showFailure(new URL(location.href).searchParams.get('iss') ?? '', error);
      }
      return;
  }
}

void start();

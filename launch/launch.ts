// The SMART launch URL. Kept to plain DOM: this page exists only to redirect to the EHR's
// authorization server, and fhirclient's authorize() is already most of its weight.
import FHIR from 'fhirclient';
import { classifySessionError } from '../src/fhir/session-failure';
import type { StandaloneKind } from './clients';
import { decideLaunch, launchUrlWithKind, mergeRegistrations } from './clients';
import { loadRuntimeRegistrations, runtimeRegistrationsFile } from './runtime-registrations';

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

/** Problems with the runtime registrations file, repeated under every screen of this launch. */
let registrationProblems: readonly string[] = [];

function registrationNotice(): Node[] {
  if (registrationProblems.length === 0) return [];
  return [
    el(
      'div',
      { class: 'notice', role: 'alert', 'data-testid': 'launch-registration-problems' },
      el('strong', {}, `Some entries of ${runtimeRegistrationsFile} were ignored`),
      el('ul', {}, ...registrationProblems.map((problem) => el('li', {}, problem))),
      el(
        'p',
        {},
        'The other registrations still work. Ask whoever deployed Equity Lens to fix the file ' +
          '(its format is in the README, "Registering Equity Lens with an EHR").',
      ),
    ),
  ];
}

function show(testId: string, kind: 'info' | 'error', ...children: Part[]): void {
  const main = document.getElementById('launch');
  if (!main) return;
  main.className = kind;
  main.setAttribute('data-testid', testId);
  main.replaceChildren(...children, ...registrationNotice());
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
        ' (and optionally ',
        el('code', {}, 'kind=patient'),
        ' or ',
        el('code', {}, 'kind=panel'),
        '); the server then asks you to sign in, and to pick a patient for a chart.',
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
      `. Register the app with ${label} and put its client id in ${runtimeRegistrationsFile} ` +
        '(beside the app) or launch/clients.ts before launching from there.',
    ),
  );
}

function kindChoice(kind: StandaloneKind, title: string, description: string): HTMLElement {
  return el(
    'li',
    {},
    el('a', { class: 'button', href: launchUrlWithKind(location.href, kind) }, title),
    el('p', {}, description),
  );
}

function showKindChoice(iss: string, label: string): void {
  show(
    'launch-choose-kind',
    'info',
    el('h1', {}, 'What would you like to open?'),
    el('p', {}, `You are signing in to ${label} at `, el('code', {}, iss), '.'),
    el(
      'ul',
      { class: 'choices' },
      kindChoice(
        'patient',
        "Open a patient's chart",
        'Pick one patient after signing in and see their equity checklist.',
      ),
      kindChoice(
        'panel',
        'Open the panel dashboard',
        'For practice managers and quality teams: quality measures across your patients, ' +
          'stratified by race, ethnicity, language and more. No patient needs to be picked.',
      ),
    ),
  );
}

function showRedirecting(iss: string): void {
  show(
    'launch-authorizing',
    'info',
    el(
      'div',
      { class: 'status', role: 'status' },
      el('div', { class: 'spinner', 'aria-hidden': 'true' }),
      el('span', {}, 'Connecting to ', el('code', {}, iss), '…'),
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
  const runtime = await loadRuntimeRegistrations(location.href);
  registrationProblems = runtime.problems;
  for (const problem of runtime.problems) console.warn(`Equity Lens launch: ${problem}`);
  const decision = decideLaunch(
    { launchUrl: location.href, inFrame: window.self !== window.top },
    mergeRegistrations(runtime.registrations),
  );
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
    case 'choose-kind':
      showKindChoice(decision.iss, decision.label);
      return;
    case 'authorize': {
      const iss = new URL(location.href).searchParams.get('iss') ?? '';
      showRedirecting(iss);
      try {
        // Redirects away on success; the app page (index.html) completes the flow.
        await FHIR.oauth2.authorize(decision.client);
      } catch (error) {
        showFailure(iss, error);
      }
      return;
    }
  }
}

void start();

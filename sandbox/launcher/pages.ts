// Server-rendered pages of the sandbox EHR: the launcher (what a clinician's EHR does when they
// open an app), the standalone sign-in / patient picker, and an error page. Plain HTML with a
// little inline script: the EHR side needs no build step.
import type { PendingAuthorization } from '../auth/authorization-server';
import type { OwnedTask } from './community';
import type { ShowcasePatient } from './showcase';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const styles = `
  :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933; }
  body { margin: 0; background: #eef2f6; }
  header { background: #243b53; color: #fff; padding: 12px 24px; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  header span { opacity: .8; font-size: 14px; }
  main { max-width: 980px; margin: 24px auto; padding: 0 16px; display: grid; gap: 16px; }
  section { background: #fff; border-radius: 8px; padding: 16px 20px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  h2 { font-size: 16px; margin: 0 0 12px; }
  label { display: block; font-size: 14px; margin: 8px 0 4px; font-weight: 600; }
  input[type=text], input[type=search], input[type=url], select { width: 100%; box-sizing: border-box; padding: 8px; font-size: 14px; border: 1px solid #9fb3c8; border-radius: 4px; }
  .row { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
  .row > * { flex: 1 1 200px; }
  button { padding: 9px 16px; font-size: 14px; border-radius: 4px; border: 1px solid #243b53; background: #243b53; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #243b53; }
  button:disabled { opacity: .5; cursor: default; }
  ul.patients { list-style: none; padding: 0; margin: 8px 0 0; max-height: 320px; overflow: auto; border: 1px solid #d9e2ec; border-radius: 4px; }
  ul.patients li { padding: 6px 10px; border-bottom: 1px solid #f0f4f8; display: flex; gap: 8px; align-items: center; }
  ul.patients li:last-child { border-bottom: 0; }
  ul.patients label { display: flex; gap: 8px; margin: 0; font-weight: 400; width: 100%; cursor: pointer; }
  .muted { color: #627d98; font-size: 13px; }
  code, .url { font-family: ui-monospace, Menlo, monospace; font-size: 13px; word-break: break-all; }
  .url { background: #f0f4f8; padding: 8px; border-radius: 4px; display: block; }
  .error { color: #9b1c1c; }
  .scopes { columns: 2; font-size: 13px; }
`;

function page(title: string, subtitle: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><span>${escapeHtml(subtitle)}</span></header>
<main>${body}</main>
${script ? `<script>${script}</script>` : ''}
</body>
</html>`;
}

/**
 * Shared browser script: a searchable patient list backed by /launcher/api/patients.
 * Typing filters by name, MRN or id; the practitioner filter narrows to that panel.
 */
const patientPickerScript = `
function setupPatientPicker(opts) {
  const search = document.getElementById(opts.searchId);
  const list = document.getElementById(opts.listId);
  const status = document.getElementById(opts.statusId);
  let timer;
  let seq = 0;
  // The chosen patient survives a redraw: a search answering after the user clicked must not
  // silently drop the selection.
  let chosen = '';
  list.addEventListener('change', (event) => { chosen = event.target.value; });
  async function load() {
    const mine = ++seq;
    const params = new URLSearchParams({ q: search.value.trim() });
    const panel = opts.panelFilter && opts.panelFilter();
    if (panel) params.set('practitioner', panel);
    status.textContent = 'Searching…';
    try {
      const res = await fetch('/launcher/api/patients?' + params.toString());
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const data = await res.json();
      if (mine !== seq) return;
      list.innerHTML = '';
      for (const p of data.patients) {
        const li = document.createElement('li');
        const label = document.createElement('label');
        const input = document.createElement('input');
        input.type = 'radio';
        input.name = opts.radioName;
        input.value = p.id;
        input.checked = p.id === chosen;
        input.setAttribute('aria-label', p.name);
        const text = document.createElement('span');
        text.textContent = p.name + ' · ' + (p.birthDate || 'birth date unknown') + ' · ' + (p.gender || 'sex unknown') + (p.mrn ? ' · MRN ' + p.mrn : '') + (p.deceased ? ' · deceased' : '');
        label.append(input, text);
        li.append(label);
        list.append(li);
      }
      status.textContent = data.total === 0 ? 'No patients match.' : 'Showing ' + data.patients.length + ' of ' + data.total + ' patients.';
    } catch (e) {
      status.textContent = 'Could not search patients: ' + e.message;
    }
  }
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(load, 200); });
  load();
  return { reload: load, selected: () => { const c = list.querySelector('input:checked'); return c ? c.value : ''; } };
}
`;

export interface LauncherPageOptions {
  fhirBaseUrl: string;
  appLaunchUrl: string;
  practitioners: { id: string; name: string }[];
  patientCount: number;
  /** Patients in each social-needs state, shown so testers can open one directly. */
  showcase?: readonly ShowcasePatient[];
}

export function launcherPage(options: LauncherPageOptions): string {
  const practitionerOptions = options.practitioners
    .map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)}</option>`)
    .join('');
  const showcase = (options.showcase ?? [])
    .map(
      (p) =>
        `<li><button type="button" class="secondary showcase" data-patient="${escapeHtml(p.patientId)}">Open</button> <span><strong>${escapeHtml(p.label)}</strong>: ${escapeHtml(p.name)} <span class="muted">(${escapeHtml(p.patientId)})</span></span></li>`,
    )
    .join('');
  const body = `
<section>
  <h2>1. Who is signed in</h2>
  <label for="practitioner">Practitioner</label>
  <select id="practitioner">${practitionerOptions}</select>
  <p class="muted">The EHR user the app will see as <code>fhirUser</code>.</p>
</section>
<section>
  <h2>2. Open a patient's chart</h2>
  <div class="row">
    <div><label for="patient-search">Search patients (name, MRN or id)</label>
    <input id="patient-search" type="search" placeholder="e.g. Garcia" autocomplete="off"></div>
    <div><label><input id="panel-only" type="checkbox"> Only this practitioner's panel</label></div>
  </div>
  <p id="patient-status" class="muted" role="status"></p>
  <ul id="patients" class="patients" aria-label="Patients"></ul>
  ${
    showcase
      ? `<h3 style="font-size:15px;margin:16px 0 4px">Patients with social needs to try</h3>
  <p class="muted">One patient in each state of the social-needs table. "Open" launches the app on that patient with the options below.</p>
  <ul id="showcase" class="patients" aria-label="Patients with social needs to try">${showcase}</ul>`
      : ''
  }
</section>
<section>
  <h2>3. Launch the app</h2>
  <label for="app-url">App launch URL</label>
  <input id="app-url" type="url" value="${escapeHtml(options.appLaunchUrl)}">
  <label><input id="ehr-banner" type="checkbox"> The EHR shows its own patient banner (sends <code>need_patient_banner: false</code>)</label>
  <label><input id="with-encounter" type="checkbox"> Launch from the patient's most recent encounter (sends <code>encounter</code>)</label>
  <label><input id="read-only" type="checkbox"> Read-only launch: the user may not write (the EHR grants no write scopes)</label>
  <div class="row" style="margin-top:12px">
    <button id="launch-patient" type="button">Launch with patient</button>
    <button id="launch-no-patient" type="button" class="secondary">Launch without a patient (panel)</button>
  </div>
  <div class="row" style="margin-top:12px">
    <button id="launch-standalone-patient" type="button" class="secondary">Standalone launch: patient chart</button>
    <button id="launch-standalone-panel" type="button" class="secondary">Standalone launch: panel dashboard</button>
  </div>
  <p class="muted">A standalone launch opens the app with only <code>iss</code> (and <code>kind</code>), as a user would from a bookmark: the app asks for <code>launch/patient</code> for a chart, so you sign in here and pick a patient; for the panel it asks for no patient context, so you only sign in.</p>
  <p id="launch-error" class="error" role="alert"></p>
  <div id="launch-result" hidden>
    <label for="launch-url">Launch URL (reusable for 24 hours)</label>
    <span id="launch-url" class="url"></span>
    <p><a id="launch-open" href="#">Open the app with this launch</a></p>
  </div>
  <label><input id="show-only" type="checkbox"> Show the launch URL instead of opening the app</label>
</section>
<section>
  <h2>For testers</h2>
  <p>FHIR base URL (<code>iss</code>): <span class="url">${escapeHtml(options.fhirBaseUrl)}</span></p>
  <p class="muted">SMART configuration: <a href="${escapeHtml(options.fhirBaseUrl)}/.well-known/smart-configuration">.well-known/smart-configuration</a> ·
  CapabilityStatement: <a href="${escapeHtml(options.fhirBaseUrl)}/metadata">metadata</a> · ${options.patientCount} patients loaded.</p>
  <p><a href="/community">Community organization page</a>: accept, reject or complete the referrals (Tasks) a community organization owns.</p>
  <button id="expire" type="button" class="secondary">Expire all access tokens now</button>
  <span id="expire-status" class="muted" role="status"></span>
</section>`;
  const script = `${patientPickerScript}
const practitioner = document.getElementById('practitioner');
const panelOnly = document.getElementById('panel-only');
const picker = setupPatientPicker({ searchId: 'patient-search', listId: 'patients', statusId: 'patient-status', radioName: 'patient',
  panelFilter: () => panelOnly.checked ? practitioner.value : '' });
panelOnly.addEventListener('change', picker.reload);
practitioner.addEventListener('change', () => { if (panelOnly.checked) picker.reload(); });
const errorBox = document.getElementById('launch-error');
async function launch(withPatient, chosen) {
  errorBox.textContent = '';
  const patientId = withPatient ? (chosen || picker.selected()) : '';
  if (withPatient && !patientId) { errorBox.textContent = 'Choose a patient first.'; return; }
  const res = await fetch('/launcher/api/launch', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ practitionerId: practitioner.value, patientId, appLaunchUrl: document.getElementById('app-url').value,
      needPatientBanner: !document.getElementById('ehr-banner').checked,
      encounter: document.getElementById('with-encounter').checked ? 'latest' : 'none',
      readOnly: document.getElementById('read-only').checked }) });
  const data = await res.json();
  if (!res.ok) { errorBox.textContent = data.error || ('Launch failed: HTTP ' + res.status); return; }
  document.getElementById('launch-url').textContent = data.launchUrl;
  document.getElementById('launch-open').href = data.launchUrl;
  document.getElementById('launch-result').hidden = false;
  if (!document.getElementById('show-only').checked) location.href = data.launchUrl;
}
document.getElementById('launch-patient').addEventListener('click', () => launch(true));
document.getElementById('launch-no-patient').addEventListener('click', () => launch(false));
for (const button of document.querySelectorAll('button.showcase')) {
  button.addEventListener('click', () => launch(true, button.dataset.patient));
}
function launchStandalone(kind) {
  const url = new URL(document.getElementById('app-url').value);
  url.searchParams.set('iss', ${JSON.stringify(options.fhirBaseUrl)});
  url.searchParams.set('kind', kind);
  location.href = url.toString();
}
document.getElementById('launch-standalone-patient').addEventListener('click', () => launchStandalone('patient'));
document.getElementById('launch-standalone-panel').addEventListener('click', () => launchStandalone('panel'));
document.getElementById('expire').addEventListener('click', async () => {
  const res = await fetch('/launcher/api/expire-tokens', { method: 'POST' });
  document.getElementById('expire-status').textContent = res.ok ? 'All access tokens have expired.' : 'Failed: HTTP ' + res.status;
});
`;
  return page('Sandbox EHR', 'Equity Lens local SMART EHR: launcher', body, script);
}

export interface LoginPageOptions {
  pending: PendingAuthorization;
  practitioners: { id: string; name: string }[];
}

/** Standalone launch: the EHR's sign-in and, for `launch/patient`, its patient picker. */
export function loginPage(options: LoginPageOptions): string {
  const { pending } = options;
  const practitionerOptions = options.practitioners
    .map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)}</option>`)
    .join('');
  const scopes = pending.scope
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => `<li><code>${escapeHtml(s)}</code></li>`)
    .join('');
  const patientSection = pending.needsPatient
    ? `<section>
  <h2>Choose the patient</h2>
  <label for="patient-search">Search patients (name, MRN or id)</label>
  <input id="patient-search" type="search" autocomplete="off">
  <p id="patient-status" class="muted" role="status"></p>
  <ul id="patients" class="patients" aria-label="Patients"></ul>
</section>`
    : '';
  const body = `
<form method="post" action="/auth/authorize/decision" id="decision">
<input type="hidden" name="pending" value="${escapeHtml(pending.id)}">
<section>
  <h2>Sign in</h2>
  <p>The app <strong>${escapeHtml(pending.clientId)}</strong> asks to connect to the Sandbox EHR.</p>
  <label for="practitioner">Sign in as</label>
  <select id="practitioner" name="practitioner">${practitionerOptions}</select>
</section>
${patientSection}
<section>
  <h2>It asks for</h2>
  <ul class="scopes">${scopes}</ul>
  <p id="decision-error" class="error" role="alert"></p>
  <div class="row">
    <button type="submit" name="action" value="approve" id="approve">Allow</button>
    <button type="submit" name="action" value="deny" id="deny" class="secondary">Deny</button>
  </div>
</section>
</form>`;
  const script = pending.needsPatient
    ? `${patientPickerScript}
const picker = setupPatientPicker({ searchId: 'patient-search', listId: 'patients', statusId: 'patient-status', radioName: 'patient' });
document.getElementById('decision').addEventListener('submit', (event) => {
  if (event.submitter && event.submitter.value === 'approve' && !picker.selected()) {
    event.preventDefault();
    document.getElementById('decision-error').textContent = 'Choose a patient first.';
  }
});`
    : '';
  return page('Sandbox EHR', 'Sign in to authorize an app', body, script);
}

export function errorPage(message: string): string {
  return page(
    'Sandbox EHR',
    'Authorization error',
    `<section><h2>The app could not be authorized</h2><p class="error" role="alert">${escapeHtml(message)}</p>
<p class="muted">The request did not come from a registered app address, so the EHR will not send you back to it. Check the app's client id and redirect URL.</p></section>`,
  );
}

export interface CommunityPageOptions {
  organizations: { id: string; name: string }[];
  /** The organization shown, and its Tasks. */
  selected: string | undefined;
  tasks: readonly OwnedTask[];
  /** A message after an action (success or error). */
  message?: { text: string; error: boolean };
}

/**
 * The community organization page: the Tasks an organization owns, with Accept, Reject (with a
 * reason) and Complete (with an outcome). Plain forms posting back to /community, so it works
 * without script and is easy to drive from browser tests.
 */
export function communityPage(options: CommunityPageOptions): string {
  const organizationOptions = options.organizations
    .map(
      (o) =>
        `<option value="${escapeHtml(o.id)}"${o.id === options.selected ? ' selected' : ''}>${escapeHtml(o.name)}</option>`,
    )
    .join('');
  const org = escapeHtml(options.selected ?? '');
  const rows = options.tasks
    .map((t) => {
      const id = escapeHtml(t.id);
      const form = (action: string, extra: string, label: string): string =>
        `<form method="post" action="/community" class="row">
          <input type="hidden" name="organization" value="${org}">
          <input type="hidden" name="task" value="${id}">
          <input type="hidden" name="action" value="${action}">${extra}
          <button type="submit" class="secondary" aria-label="${escapeHtml(`${label} Task ${t.id}`)}">${label}</button>
        </form>`;
      const actions = [
        t.actions.includes('accept') ? form('accept', '', 'Accept') : '',
        t.actions.includes('reject')
          ? form(
              'reject',
              `<input type="text" name="reason" required placeholder="Reason" aria-label="Reason for rejecting Task ${id}">`,
              'Reject',
            )
          : '',
        t.actions.includes('complete')
          ? form(
              'complete',
              `<input type="text" name="outcome" required placeholder="Outcome" aria-label="Outcome of Task ${id}">`,
              'Complete',
            )
          : '',
      ].join('');
      return `<tr data-task="${id}">
        <td>${escapeHtml(t.patientName)}<div class="muted">${escapeHtml(t.patient)}</div></td>
        <td>${escapeHtml(t.service)}</td>
        <td><strong class="status">${escapeHtml(t.status)}</strong>${t.statusReason ? `<div class="muted">${escapeHtml(t.statusReason)}</div>` : ''}${t.outcome ? `<div class="muted">Outcome: ${escapeHtml(t.outcome)}</div>` : ''}</td>
        <td>${escapeHtml((t.authoredOn ?? '').slice(0, 10))}<div class="muted">updated ${escapeHtml((t.lastModified ?? '').slice(0, 10))}</div></td>
        <td>${actions || '<span class="muted">closed</span>'}</td>
      </tr>`;
    })
    .join('');
  const message = options.message
    ? `<p class="${options.message.error ? 'error' : 'muted'}" role="${options.message.error ? 'alert' : 'status'}">${escapeHtml(options.message.text)}</p>`
    : '';
  const body = `
<section>
  <h2>Community organization</h2>
  <form method="get" action="/community" class="row">
    <div><label for="organization">Organization</label>
    <select id="organization" name="organization">${organizationOptions}</select></div>
    <div><button type="submit">Show referrals</button></div>
  </form>
  <p class="muted"><a href="/">Back to the launcher</a></p>
</section>
<section>
  <h2>Referrals (Tasks) owned by this organization</h2>
  ${message}
  ${
    options.tasks.length === 0
      ? '<p class="muted">No Tasks are owned by this organization.</p>'
      : `<table style="width:100%;border-collapse:collapse;font-size:14px">
    <thead><tr><th scope="col" style="text-align:left">Patient</th><th scope="col" style="text-align:left">Service</th><th scope="col" style="text-align:left">Status</th><th scope="col" style="text-align:left">Sent</th><th scope="col" style="text-align:left">Act</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`
  }
</section>`;
  return page('Sandbox EHR', 'Community organization: referrals', body);
}

// Pier's dashboard: plain JavaScript, no library, no asset from elsewhere. It uses the controller's REST API with
// the session cookie set at sign-in; every change sends the session's CSRF token (X-Pier-CSRF).
'use strict';

const CSRF_HEADER = 'X-Pier-CSRF';
const PLOT_WINDOW_MS = 15 * 60 * 1000;
const LOG_KEEP = 500;
const session = { csrf: null };
let cleanups = [];
/** Which page is shown: a page's late answers check it, so they never draw over the next page. */
let generation = 0;

// ---- small helpers ----

function el(tag, attrs, ...children) {
  const node = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function $(id) { return document.getElementById(id); }

function say(text, isError) {
  const status = $('status');
  status.textContent = text || '';
  status.classList.toggle('error', !!isError);
}

class Unauthorized extends Error {}

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers[CSRF_HEADER] = session.csrf;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (response.status === 401) {
    showSignIn('Your session ended: sign in again.');
    throw new Unauthorized('not signed in');
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error((data && (data.detail || data.title)) || (method + ' ' + path + ' answered ' + response.status));
  }
  return data;
}

function failed(error) {
  if (!(error instanceof Unauthorized)) say(error.message, true);
}

function onCleanup(fn) { cleanups.push(fn); }

function age(instant) {
  if (!instant) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(instant)) / 1000));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm';
  if (s < 86400) return Math.floor(s / 3600) + 'h';
  return Math.floor(s / 86400) + 'd';
}

function time(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

function mb(bytes) {
  return bytes === null || bytes === undefined ? '–' : (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0) + ' MB';
}

function stateCell(state) {
  return el('td', { class: 'state state-' + state }, state);
}

function table(headers, rows, label) {
  return el('div', { class: 'table-wrap' },
    el('table', { 'aria-label': label },
      el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col', class: h.cls || null }, h.text || h)))),
      el('tbody', {}, rows)));
}

function panel(id, title, ...children) {
  return el('section', { class: 'panel', id, 'aria-labelledby': id + '-title' },
    el('h2', { id: id + '-title' }, title), ...children);
}

/** Two clicks for a change that is hard to undo: the first arms the button, the second does it. */
function confirmButton(label, confirmLabel, attrs, action) {
  const button = el('button', Object.assign({ type: 'button' }, attrs), label);
  let armed = false;
  button.addEventListener('click', async () => {
    if (!armed) {
      armed = true;
      button.textContent = confirmLabel;
      button.classList.add('danger');
      setTimeout(() => { armed = false; button.textContent = label; button.classList.remove('danger'); }, 6000);
      return;
    }
    button.disabled = true;
    try { await action(); } catch (e) { failed(e); } finally { button.disabled = false; }
  });
  return button;
}

// ---- sessions ----

function showSignIn(message) {
  session.csrf = null;
  for (const fn of cleanups) fn();
  cleanups = [];
  $('nav').hidden = true;
  $('view').replaceChildren();
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
  $('cluster-key').focus();
}

async function signIn(event) {
  event.preventDefault();
  const key = $('cluster-key').value;
  const response = await fetch('/dashboard/session', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
    body: JSON.stringify({ key })
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    $('sign-in-error').textContent = data.detail || 'Sign-in failed (' + response.status + ').';
    return;
  }
  $('cluster-key').value = '';
  session.csrf = data.csrf;
  signedIn();
}

function signedIn() {
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  render();
}

async function signOut() {
  try {
    await api('DELETE', '/dashboard/session');
  } catch (e) {
    failed(e);
  }
  showSignIn('Signed out.');
}

// ---- routing ----

function render() {
  if (!session.csrf) return;
  for (const fn of cleanups) fn();
  cleanups = [];
  generation++;
  say('');
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  const app = hash.match(/^\/apps\/([a-z][a-z0-9-]{0,29})$/);
  $('nav-apps').removeAttribute('aria-current');
  $('nav-cluster').removeAttribute('aria-current');
  if (app) {
    appView(app[1]);
  } else if (hash === '/cluster') {
    $('nav-cluster').setAttribute('aria-current', 'page');
    clusterView();
  } else {
    $('nav-apps').setAttribute('aria-current', 'page');
    appsView();
  }
  $('main').focus({ preventScroll: true });
}

// ---- apps ----

async function appsView() {
  document.title = 'Apps · Pier';
  const view = $('view');
  const page = generation;
  view.replaceChildren(el('h1', {}, 'Apps'), el('p', { class: 'muted' }, 'Loading…'));
  try {
    const [apps, formations] = await Promise.all([api('GET', '/apps'), api('GET', '/formations')]);
    if (page !== generation) return;
    const rows = apps.sort((a, b) => a.name.localeCompare(b.name)).map(app => {
      const formation = formations.find(f => f.app === app.name && f.release_id === app.release_id);
      const processes = formation ? Object.entries(formation.processes).map(([t, n]) => t + '=' + n).join(' ') : '';
      return el('tr', {},
        el('td', {}, el('a', { href: '#/apps/' + app.name, class: 'app-link' }, app.name)),
        el('td', {}, processes || el('span', { class: 'muted' }, 'not scaled')),
        el('td', { class: 'hide-narrow' }, app.strategy),
        el('td', {}, age(app.created_at)));
    });
    view.replaceChildren(el('h1', {}, 'Apps'),
      apps.length === 0
        ? el('p', {}, 'No apps yet. Create one with ', el('code', {}, 'pier create'), ' and push it with ',
          el('code', {}, 'git push pier main'), '.')
        : table(['App', 'Formation', { text: 'Deploys', cls: 'hide-narrow' }, 'Age'], rows, 'Apps'));
  } catch (e) {
    failed(e);
  }
}

// ---- one app ----

function appView(name) {
  document.title = name + ' · Pier';
  const ctx = { name, app: null, releases: [], release: null, formation: null, editing: {}, configRelease: null,
    alive: true };
  onCleanup(() => { ctx.alive = false; });
  const view = $('view');
  view.replaceChildren(
    el('div', { class: 'row' }, el('h1', {}, name), el('span', { class: 'spacer' }),
      el('span', { id: 'app-release', class: 'badge' })),
    panel('metrics', 'Live figures', el('p', { class: 'muted', id: 'metrics-note' },
      'Sampled from the routers and host agents every 10 s; the last 15 minutes.'),
    el('div', { class: 'plots', id: 'plots' })),
    el('div', { class: 'grid' },
      panel('formation', 'Formation', el('div', { id: 'formation-body' })),
      panel('jobs', 'Jobs', el('div', { id: 'jobs-body' })),
      panel('releases', 'Releases', el('div', { id: 'releases-body' })),
      panel('config', 'Config vars', el('div', { id: 'config-body' })),
      panel('routes', 'Routes', el('div', { id: 'routes-body' })),
      panel('deployments', 'Deployments', el('div', { id: 'deployments-body' })),
      panel('builds', 'Builds', el('div', { id: 'builds-body' })),
      el('section', { class: 'panel wide', id: 'log', 'aria-labelledby': 'log-title' },
        el('h2', { id: 'log-title' }, 'Log'), el('div', { id: 'log-body' }))));
  const plots = makePlots($('plots'));
  followMetrics(name, plots);
  const reload = () => loadApp(ctx).catch(failed);
  reload();
  // any change to the app (jobs, formations, releases, deployments) reloads its panels
  const events = new EventSource('/events?app=' + encodeURIComponent(name));
  let pending = null;
  events.onmessage = () => {
    clearTimeout(pending);
    pending = setTimeout(reload, 300);
  };
  const poll = setInterval(reload, 15000);
  onCleanup(() => { events.close(); clearInterval(poll); clearTimeout(pending); });
}

async function loadApp(ctx) {
  const name = ctx.name;
  const enc = encodeURIComponent(name);
  const [app, releases, jobs, routes, deployments, builds] = await Promise.all([
    api('GET', '/apps/' + enc), api('GET', '/apps/' + enc + '/releases'), api('GET', '/apps/' + enc + '/jobs?active=true'),
    api('GET', '/apps/' + enc + '/routes'), api('GET', '/apps/' + enc + '/deployments'),
    api('GET', '/apps/' + enc + '/builds?limit=10')]);
  ctx.app = app;
  ctx.releases = releases.slice().sort((a, b) => b.version - a.version);
  ctx.release = ctx.releases.find(r => r.id === app.release_id) || null;
  ctx.formation = ctx.release
    ? await api('GET', '/apps/' + enc + '/formations/' + ctx.release.id).catch(() => null) : null;
  if (!ctx.alive) return; // the page moved on meanwhile
  $('app-release').textContent = ctx.release ? 'release v' + ctx.release.version : 'no release yet';
  renderFormation(ctx);
  renderJobs(jobs);
  renderReleases(ctx);
  renderRoutes(routes);
  renderDeployments(ctx, deployments);
  renderBuilds(ctx, builds);
  const releaseId = ctx.release ? ctx.release.id : null;
  if (ctx.configRelease !== releaseId && !document.querySelector('#config-body form input:focus')) {
    ctx.configRelease = releaseId; // a new release may have other config vars
    renderConfig(ctx);
  }
  if (!$('log-follow')) renderLog(ctx);
}

function renderFormation(ctx) {
  const body = $('formation-body');
  if (!ctx.release) {
    body.replaceChildren(el('p', { class: 'muted' }, 'No release yet: push the app first.'));
    return;
  }
  const counts = (ctx.formation && ctx.formation.processes) || {};
  const types = Object.keys(ctx.release.processes || {}).sort();
  if (types.length === 0) {
    body.replaceChildren(el('p', { class: 'muted' }, 'The release has no process types.'));
    return;
  }
  const active = document.activeElement && document.activeElement.id;
  body.replaceChildren(...types.map(type => {
    // a count being edited survives the panel's refresh
    const input = el('input', { type: 'number', min: 0, max: 100, id: 'scale-' + type,
      value: type in ctx.editing ? ctx.editing[type] : counts[type] || 0, 'aria-label': 'Jobs of ' + type,
      oninput: (event) => { ctx.editing[type] = event.target.value; } });
    return el('form', { class: 'inline', 'aria-label': 'Scale ' + type, onsubmit: async (event) => {
      event.preventDefault();
      const wanted = Number(input.value);
      const processes = Object.assign({}, counts, { [type]: wanted });
      try {
        await api('PUT', '/apps/' + encodeURIComponent(ctx.name) + '/formations/' + ctx.release.id, { processes });
        delete ctx.editing[type];
        say('Scaled ' + type + ' to ' + wanted + '.');
      } catch (e) { failed(e); }
    } },
    el('label', { for: 'scale-' + type, class: 'mono' }, type),
    el('button', { type: 'button', 'aria-label': 'One fewer ' + type,
      onclick: () => { input.value = Math.max(0, Number(input.value) - 1); ctx.editing[type] = input.value; } }, '−'),
    input,
    el('button', { type: 'button', 'aria-label': 'One more ' + type,
      onclick: () => { input.value = Math.min(100, Number(input.value) + 1); ctx.editing[type] = input.value; } }, '+'),
    el('button', { type: 'submit', class: 'primary', id: 'scale-' + type + '-save' }, 'Scale'),
    el('span', { class: 'muted' }, 'now ' + (counts[type] || 0)));
  }));
  if (active && $(active)) $(active).focus();
}

function renderJobs(jobs) {
  const rows = jobs.sort((a, b) => a.process_type.localeCompare(b.process_type) || a.created_at.localeCompare(b.created_at))
    .map(job => el('tr', { 'data-job': job.id },
      el('td', { class: 'mono' }, job.id), el('td', {}, job.process_type), stateCell(job.state),
      el('td', {}, job.host_id || ''), el('td', { class: 'mono hide-narrow' }, job.address || ''),
      el('td', {}, age(job.created_at)), el('td', { class: 'num hide-narrow' }, job.restarts)));
  $('jobs-body').replaceChildren(jobs.length === 0 ? el('p', { class: 'muted' }, 'No job runs.')
    : table(['Job', 'Type', 'State', 'Host', { text: 'Address', cls: 'hide-narrow' }, 'Age',
      { text: 'Restarts', cls: 'num hide-narrow' }], rows, 'Jobs'));
}

// The releases panel is rebuilt only when the releases or the current one changed, not on every event of the app
// (a deploy's job events come many a second): rebuilt under the pointer, a "Roll back" button waiting for its
// confirming click was replaced by a fresh one and the click lost (the e2e suite's browser saw it go stale).
function renderReleases(ctx) {
  const shown = ctx.releases.slice(0, 20).map(r => r.id).join(',') + '|' + (ctx.release ? ctx.release.id : '');
  if (ctx.releasesShown === shown) {
    return;
  }
  ctx.releasesShown = shown;
  const rows = ctx.releases.slice(0, 20).map(release => {
    const current = ctx.release && release.id === ctx.release.id;
    return el('tr', {},
      el('td', { class: 'num' }, 'v' + release.version),
      el('td', {}, release.description || ''),
      el('td', { class: 'hide-narrow' }, age(release.created_at)),
      el('td', {}, current ? el('span', { class: 'badge' }, 'current')
        : confirmButton('Roll back', 'Confirm: roll back to v' + release.version,
          { id: 'rollback-v' + release.version, 'aria-label': 'Roll back to v' + release.version }, async () => {
            const change = await api('POST', '/apps/' + encodeURIComponent(ctx.name) + '/releases/' + release.id
              + '/rollback');
            say('Rolled back: release v' + change.release.version + ' (a copy of v' + release.version
              + ') is rolling out.');
          })));
  });
  $('releases-body').replaceChildren(ctx.releases.length === 0 ? el('p', { class: 'muted' }, 'No release yet.')
    : table([{ text: 'Version', cls: 'num' }, 'Description', { text: 'Age', cls: 'hide-narrow' }, ''], rows,
      'Releases'));
}

function renderRoutes(routes) {
  $('routes-body').replaceChildren(routes.length === 0 ? el('p', { class: 'muted' }, 'No route.')
    : table(['Domain', 'Service', 'TLS'], routes.map(r => el('tr', {},
      el('td', { class: 'mono' }, r.domain), el('td', { class: 'mono' }, r.service),
      el('td', {}, r.tls_cert ? 'yes' : 'no'))), 'Routes'));
}

function versionOf(ctx, id) {
  const release = ctx.releases.find(r => r.id === id);
  return release ? 'v' + release.version : '–';
}

function renderDeployments(ctx, deployments) {
  const rows = [];
  for (const d of deployments.slice(0, 15)) {
    const detail = el('tr', { hidden: true }, el('td', { colspan: 5 }, el('pre', { class: 'log small' })));
    rows.push(el('tr', {},
      el('td', {}, time(d.created_at)),
      stateCell(d.status),
      el('td', {}, versionOf(ctx, d.old_release_id) + ' → ' + versionOf(ctx, d.new_release_id)),
      el('td', { class: 'hide-narrow' }, d.error || ''),
      el('td', {}, el('button', { type: 'button', 'aria-expanded': 'false', onclick: async (event) => {
        const button = event.currentTarget;
        const open = button.getAttribute('aria-expanded') !== 'true';
        button.setAttribute('aria-expanded', String(open));
        detail.hidden = !open;
        if (open) await showDeploymentEvents(ctx, d, detail.querySelector('pre')).catch(failed);
      } }, 'Events'))));
    rows.push(detail);
  }
  $('deployments-body').replaceChildren(deployments.length === 0 ? el('p', { class: 'muted' }, 'No deployment yet.')
    : table(['Started', 'Status', 'Releases', { text: 'Error', cls: 'hide-narrow' }, ''], rows, 'Deployments'));
}

async function showDeploymentEvents(ctx, deployment, pre) {
  const events = await api('GET', '/events?app=' + encodeURIComponent(ctx.name) + '&types=deployment&count=1000');
  const mine = events.filter(e => e.object_id === deployment.id);
  pre.textContent = mine.length === 0 ? 'No events.' : mine.map(e => {
    const data = e.data || {};
    return time(e.created_at) + '  ' + (data.status || '') + (data.error ? '  ' + data.error : '')
      + (data.processes ? '  ' + JSON.stringify(data.processes) : '');
  }).join('\n');
}

function renderBuilds(ctx, builds) {
  const rows = [];
  for (const b of builds.slice(0, 10)) {
    const detail = el('tr', { hidden: true }, el('td', { colspan: 6 }, el('pre', { class: 'log small' })));
    const took = b.finished_at ? Math.round((Date.parse(b.finished_at) - Date.parse(b.created_at)) / 1000) + ' s' : '';
    rows.push(el('tr', {},
      el('td', {}, time(b.created_at)), stateCell(b.state),
      el('td', {}, b.release_version ? 'v' + b.release_version : (b.error || '')),
      el('td', { class: 'num' }, took), el('td', { class: 'mono hide-narrow' }, b.commit ? b.commit.slice(0, 7) : ''),
      el('td', {}, el('button', { type: 'button', 'aria-expanded': 'false', onclick: async (event) => {
        const button = event.currentTarget;
        const open = button.getAttribute('aria-expanded') !== 'true';
        button.setAttribute('aria-expanded', String(open));
        detail.hidden = !open;
        if (open) {
          const pre = detail.querySelector('pre');
          pre.textContent = 'Loading…';
          readLog('/apps/' + encodeURIComponent(ctx.name) + '/builds/' + encodeURIComponent(b.id) + '/log',
            null, line => line.text).then(lines => { pre.textContent = lines.join('\n') || 'The log is empty.'; })
            .catch(e => { pre.textContent = 'No log: ' + e.message; });
        }
      } }, 'Log'))));
    rows.push(detail);
  }
  $('builds-body').replaceChildren(
    builds.length === 0 ? el('p', { class: 'muted' }, 'No build yet.')
      : table(['Started', 'State', 'Release', { text: 'Took', cls: 'num' }, { text: 'Commit', cls: 'hide-narrow' }, ''],
        rows, 'Builds'));
}

// ---- config vars ----

async function renderConfig(ctx) {
  const body = $('config-body');
  if (!ctx.alive || !body) return;
  body.replaceChildren(el('p', { class: 'muted', id: 'config-loading' }, 'Loading…'));
  let env;
  try {
    env = await api('GET', '/apps/' + encodeURIComponent(ctx.name) + '/env');
  } catch (e) {
    body.replaceChildren(el('p', { class: 'error' }, e.message));
    return;
  }
  if (!ctx.alive) return;
  let shown = false;
  const toggle = el('button', { type: 'button', id: 'config-show', 'aria-pressed': 'false' }, 'Show values');
  const save = async (changes, message) => {
    const change = await api('PATCH', '/apps/' + encodeURIComponent(ctx.name) + '/env', changes);
    say(message + ': release v' + change.release.version + ' is rolling out.');
    renderConfig(ctx);
  };
  const rows = Object.keys(env).sort().map(name => {
    const value = el('td', { class: 'mono config-value' }, '••••••');
    const row = el('tr', { 'data-name': name }, el('td', { class: 'mono' }, name), value,
      el('td', {},
        el('button', { type: 'button', id: 'config-edit-' + name, onclick: () => {
          const input = el('input', { id: 'config-input-' + name, value: env[name], 'aria-label': 'Value of ' + name,
            spellcheck: 'false' });
          value.replaceChildren(el('form', { class: 'inline', onsubmit: (event) => {
            event.preventDefault();
            save({ [name]: input.value }, 'Set ' + name).catch(failed);
          } }, input, el('button', { type: 'submit', class: 'primary', id: 'config-save-' + name }, 'Save'),
          el('button', { type: 'button', onclick: () => renderConfig(ctx) }, 'Cancel')));
          input.focus();
        } }, 'Edit'), ' ',
        confirmButton('Remove', 'Confirm remove', { 'aria-label': 'Remove ' + name },
          () => save({ [name]: null }, 'Removed ' + name))));
    row.reveal = (on) => { if (!value.querySelector('form')) value.textContent = on ? env[name] : '••••••'; };
    return row;
  });
  toggle.addEventListener('click', () => {
    shown = !shown;
    toggle.setAttribute('aria-pressed', String(shown));
    toggle.textContent = shown ? 'Hide values' : 'Show values';
    rows.forEach(row => row.reveal(shown));
  });
  const newName = el('input', { id: 'config-new-name', placeholder: 'NAME', 'aria-label': 'New config var name',
    spellcheck: 'false', pattern: '[A-Za-z_][A-Za-z0-9_]*', required: true });
  const newValue = el('input', { id: 'config-new-value', placeholder: 'value', 'aria-label': 'New config var value',
    spellcheck: 'false' });
  body.replaceChildren(
    el('div', { class: 'row' }, toggle),
    rows.length === 0 ? el('p', { class: 'muted' }, 'No config var.')
      : el('div', { class: 'table-wrap' }, el('table', { id: 'config-table', 'aria-label': 'Config vars' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'Value'),
          el('th', { scope: 'col' }, ''))), el('tbody', {}, rows))),
    el('form', { class: 'inline', 'aria-label': 'Add a config var', onsubmit: (event) => {
      event.preventDefault();
      save({ [newName.value]: newValue.value }, 'Set ' + newName.value).catch(failed);
    } }, newName, newValue, el('button', { type: 'submit', id: 'config-add' }, 'Set')));
}

// ---- log ----

/** Reads an NDJSON log (until it ends, or for ever with follow); {@code onLine} hears each line as it comes. */
async function readLog(path, signal, map, onLine) {
  const response = await fetch(path, { headers: { 'Accept': 'application/x-ndjson' }, credentials: 'same-origin',
    signal });
  if (response.status === 401) {
    showSignIn('Your session ended: sign in again.');
    throw new Unauthorized('not signed in');
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || 'the log answered ' + response.status);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const lines = [];
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const raw = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (!raw) continue;
      const line = JSON.parse(raw);
      if (onLine) onLine(line); else lines.push(map ? map(line) : line);
    }
  }
  return lines;
}

function renderLog(ctx) {
  const types = Object.keys((ctx.release && ctx.release.processes) || {}).sort();
  const select = el('select', { id: 'log-process', 'aria-label': 'Process type' },
    el('option', { value: '' }, 'All process types'), types.map(t => el('option', { value: t }, t)));
  const pre = el('pre', { class: 'log', id: 'log-lines', tabindex: 0, 'aria-label': 'Log lines' });
  const follow = el('button', { type: 'button', id: 'log-follow', 'aria-pressed': 'false' }, 'Follow');
  let controller = null;
  const stop = () => {
    if (controller) controller.abort();
    controller = null;
    follow.setAttribute('aria-pressed', 'false');
    follow.textContent = 'Follow';
  };
  const start = () => {
    stop();
    controller = new AbortController();
    follow.setAttribute('aria-pressed', 'true');
    follow.textContent = 'Stop following';
    pre.replaceChildren();
    const process = select.value;
    const path = '/apps/' + encodeURIComponent(ctx.name) + '/log?follow=true&lines=50'
      + (process ? '&process=' + encodeURIComponent(process) : '');
    readLog(path, controller.signal, null, line => {
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
      pre.append(el('span', { class: line.stream === 'stderr' ? 'stderr' : null },
        (line.timestamp || '').replace('T', ' ').slice(0, 19) + ' ' + line.process_type + '.' + shortJob(line.job_id)
        + ' ' + line.text + '\n'));
      while (pre.childNodes.length > LOG_KEEP) pre.firstChild.remove();
      if (atEnd) pre.scrollTop = pre.scrollHeight;
    }).catch(e => { if (e.name !== 'AbortError') failed(e); }).finally(() => { if (controller) stop(); });
  };
  follow.addEventListener('click', () => (controller ? stop() : start()));
  select.addEventListener('change', () => { if (controller) start(); });
  onCleanup(stop);
  $('log-body').replaceChildren(el('div', { class: 'row' }, select, follow), pre);
}

function shortJob(id) {
  return (id || '').slice(-6);
}

// ---- live plots ----

function makePlots(container) {
  const specs = [
    { id: 'plot-requests', title: 'Requests per second', unit: '/s', pick: f => f.requests_per_second, routed: true },
    { id: 'plot-latency', title: 'Latency', unit: ' ms', quantiles: true },
    { id: 'plot-errors', title: '5xx per second', unit: '/s', pick: f => f.errors_per_second, routed: true },
    { id: 'plot-memory', title: 'Memory', unit: ' MB', pick: f => f.memory_bytes == null ? null : f.memory_bytes / 1048576 }
  ];
  const plots = specs.map(spec => {
    const svg = el('svg:svg', { class: 'plot', id: spec.id, viewBox: '0 0 300 100', preserveAspectRatio: 'none',
      role: 'img', 'aria-label': spec.title + ': no figures yet' });
    const now = el('strong', { id: spec.id + '-now' }, '–');
    const legend = el('ul', { class: 'legend', id: spec.id + '-legend' });
    container.append(el('figure', {}, el('figcaption', {}, el('span', {}, spec.title), now), svg, legend));
    return { spec, svg, now, legend };
  });
  return { plots, points: [] };
}

function followMetrics(name, state) {
  const source = new EventSource('/apps/' + encodeURIComponent(name) + '/metrics/stream');
  source.addEventListener('point', event => {
    const point = JSON.parse(event.data);
    state.points.push(point);
    const oldest = Date.now() - 60 * 60 * 1000;
    while (state.points.length && Date.parse(state.points[0].at) < oldest) state.points.shift();
    drawPlots(state);
  });
  source.addEventListener('problem', event => { $('metrics-note').textContent = 'No figures: ' + event.data; });
  const redraw = setInterval(() => drawPlots(state), 10000); // the time axis moves on
  onCleanup(() => { source.close(); clearInterval(redraw); });
}

/** The series of one plot: name -> [[time, value], ...]. */
function seriesOf(spec, points) {
  const series = new Map();
  for (const point of points) {
    const t = Date.parse(point.at);
    const types = Object.keys(point.processes).sort();
    if (spec.quantiles) {
      const type = types.find(x => point.processes[x].requests_per_second != null); // absent: not routed
      if (!type) continue;
      const f = point.processes[type];
      for (const [label, value] of [['p50', f.p50_seconds], ['p95', f.p95_seconds], ['p99', f.p99_seconds]]) {
        if (!series.has(label)) series.set(label, []);
        if (value != null) series.get(label).push([t, value * 1000]);
      }
      continue;
    }
    for (const type of types) {
      const value = spec.pick(point.processes[type]);
      if (value === null || value === undefined) continue;
      if (!series.has(type)) series.set(type, []);
      series.get(type).push([t, value]);
    }
  }
  return series;
}

function format(value, unit) {
  if (value === null || value === undefined) return '–';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return value.toFixed(digits) + unit;
}

function drawPlots(state) {
  const end = Date.now();
  const start = end - PLOT_WINDOW_MS;
  for (const plot of state.plots) {
    const series = seriesOf(plot.spec, state.points);
    let max = 0;
    for (const values of series.values()) for (const [t, v] of values) if (t >= start && v > max) max = v;
    const top = max > 0 ? max * 1.15 : 1;
    const lines = [el('svg:line', { class: 'axis', x1: 0, y1: 99.5, x2: 300, y2: 99.5 })];
    const legend = [];
    const summary = [];
    let index = 0;
    for (const [label, values] of series) {
      index++;
      const visible = values.filter(([t]) => t >= start);
      const points = visible.map(([t, v]) => ((t - start) / PLOT_WINDOW_MS * 300).toFixed(1) + ','
        + (99 - v / top * 95).toFixed(1)).join(' ');
      lines.push(el('svg:polyline', { class: 'l' + Math.min(index, 5), points, 'data-series': label }));
      const last = values.length ? values[values.length - 1][1] : null;
      legend.push(el('li', {}, el('span', { class: 'swatch sw' + Math.min(index, 5) }), label + ' ' +
        format(last, plot.spec.unit)));
      summary.push(label + ' ' + format(last, plot.spec.unit));
    }
    plot.svg.replaceChildren(el('svg:title', {}, plot.spec.title), ...lines);
    plot.svg.setAttribute('aria-label', plot.spec.title + ', last 15 minutes, up to ' + format(max, plot.spec.unit)
      + (summary.length ? '; now ' + summary.join(', ') : '; no figures yet'));
    plot.svg.setAttribute('data-points', String(state.points.length));
    plot.legend.replaceChildren(...legend);
    const first = series.values().next().value;
    plot.now.textContent = first && first.length ? format(first[first.length - 1][1], plot.spec.unit) : '–';
  }
}

// ---- cluster ----

async function clusterView() {
  document.title = 'Cluster · Pier';
  const view = $('view');
  view.replaceChildren(el('h1', {}, 'Cluster'), el('div', { id: 'cluster-body' }, el('p', { class: 'muted' }, 'Loading…')));
  const page = generation;
  const load = async () => {
    const overview = await api('GET', '/cluster');
    if (page !== generation) return;
    const hosts = overview.view.hosts.slice().sort((a, b) => a.id.localeCompare(b.id));
    const inUse = overview.memory_in_use_bytes || {};
    const sections = hosts.map(host => {
      const share = host.total_memory_mb ? Math.min(100, host.allocated_memory_mb / host.total_memory_mb * 100) : 0;
      const running = j => ['starting', 'up', 'stopping'].includes(j.state);
      const used = host.jobs.filter(running).reduce((sum, j) => sum + (inUse[j.id] || 0), 0);
      const bar = el('div', { class: 'bar', role: 'img', 'aria-label': Math.round(share) + '% of its memory given to jobs' },
        el('span', {}));
      bar.firstChild.style.width = share.toFixed(1) + '%';
      return panel('host-' + host.id, 'Host ' + host.id,
        el('div', { class: 'row' },
          el('span', { class: 'state ' + (host.lost ? 'state-crashed' : 'state-up') }, host.lost ? 'lost' : 'up'),
          el('span', {}, host.jobs.filter(running).length + ' running of ' + host.jobs.length + ' jobs'),
          el('span', {}, 'memory given ' + host.allocated_memory_mb + ' of ' + host.total_memory_mb + ' MB'), bar,
          el('span', {}, 'in use ' + mb(used)),
          el('span', { class: 'muted hide-narrow' }, 'seen ' + age(host.last_seen) + ' ago')),
        host.jobs.length === 0 ? el('p', { class: 'muted' }, 'No job.') :
          table(['Job', 'App', 'Type', 'State', { text: 'Given', cls: 'num' }, { text: 'In use', cls: 'num' }],
            host.jobs.slice().sort((a, b) => Number(running(b)) - Number(running(a))
              || (a.app || '').localeCompare(b.app || '') || a.id.localeCompare(b.id))
              .map(job => el('tr', {},
                el('td', { class: 'mono' }, job.id),
                el('td', {}, job.app ? el('a', { href: '#/apps/' + job.app }, job.app) : ''),
                el('td', {}, job.process_type || ''), stateCell(job.state),
                el('td', { class: 'num' }, job.memory_mb ? job.memory_mb + ' MB' : '–'),
                el('td', { class: 'num' }, running(job) ? mb(inUse[job.id]) : '–'))), 'Jobs of host ' + host.id));
    });
    $('cluster-body').replaceChildren(
      el('p', { class: 'muted' }, hosts.length + (hosts.length === 1 ? ' host' : ' hosts') + '; leader '
        + (overview.view.leader_id || 'none')
        + '; as of ' + time(overview.view.updated_at)),
      ...sections);
  };
  load().catch(failed);
  const poll = setInterval(() => load().catch(failed), 5000);
  onCleanup(() => clearInterval(poll));
}

// ---- start ----

async function boot() {
  $('sign-in-form').addEventListener('submit', e => signIn(e).catch(failed));
  $('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', render);
  const response = await fetch('/dashboard/session', { headers: { 'Accept': 'application/json' },
    credentials: 'same-origin' });
  if (response.ok) {
    session.csrf = (await response.json()).csrf;
    signedIn();
  } else {
    showSignIn('');
  }
}

document.addEventListener('DOMContentLoaded', () => boot().catch(failed));

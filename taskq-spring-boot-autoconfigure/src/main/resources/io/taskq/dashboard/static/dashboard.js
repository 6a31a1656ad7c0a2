// taskq dashboard: routing, live refresh, messages. Static files, no build step; the only
// source of data is the JSON API next to the page (docs/dashboard.md). Files:
//   dashboard.js  this file: the shell      api.js     requests, CSRF header, errors
//   views.js      overview, tasks,           jobs.js    dead and scheduled lists, job detail
//                 recurring, instances       charts.js  uPlot charts, SVG sparklines
//   format.js     escaping HTML builder, number/duration/time formats
//
// Routes (hash): #/overview  #/tasks[?queue=&task=]  #/jobs/dead[?queue=&task=&error=&from=&to=]
//   #/jobs/scheduled[?queue=&task=&from=&to=]  #/job/{queue}/{id}  #/recurring  #/instances
//
// Stable hooks for tests (data-testid, {x} is the queue, task, job id or name as is):
//   shell      nav, nav-{overview|tasks|dead|scheduled|recurring|instances}, refresh-status
//              (data-state="loading|ok|lost"), readonly-badge, error, error-text, error-close,
//              notice, view
//              (data-view = the route: overview, tasks, jobs/dead, jobs/scheduled, job, recurring,
//              instances, missing)
//   overview   queues-table, queue-row-{queue}, pause-{queue}, resume-{queue}, range-hour,
//              range-day, chart-processed, chart-failed, latency, latency-{count|mean|p50|p95|max}
//   tasks      tasks-table, task-row-{queue}/{task}, slow-runs, slow-runs-close, slow-run-{jobId}
//   job lists  tab-dead, tab-scheduled, {kind}-filters, {kind}-queue, {kind}-filter-task,
//              dead-filter-error, {kind}-filter-from, {kind}-filter-to, {kind}-apply,
//              {kind}-clear, {kind}-table, dead-row-{id}, scheduled-row-{id}, select-{id},
//              select-page, jobs-total, page-first, page-next, page-number, {kind}-actions,
//              retry-selected, delete-selected, run-now-selected, retry-all, delete-all,
//              run-now-all  ({kind} is dead or scheduled)
//   lookup     lookup, lookup-queue, lookup-id, lookup-open
//   job        job-detail, job-id, job-state, job-fields, job-error, job-stack, job-payload,
//              job-payload-hidden, job-headers, job-tracked, job-retry, job-run-now,
//              job-delete, job-not-found
//   recurring  recurring-table, recurring-row-{name}, recurring-pause-{name},
//              recurring-resume-{name}, recurring-trigger-{name}
//   instances  instances-table, instances-summary, instance-row-{id}
// Write buttons are not rendered at all while the API says readOnly.

import * as api from './api.js';
import { clock, html, setHtml } from './format.js';
import { jobListView, jobView } from './jobs.js';
import { element, instancesView, overviewView, recurringView, tasksView } from './views.js';

const main = document.querySelector('[data-testid="view"]');
const status = document.querySelector('[data-testid="refresh-status"]');
const errorBox = document.querySelector('[data-testid="error"]');
const noticeBox = document.querySelector('[data-testid="notice"]');

let current = null;
let timer = null;
let running = null;
let again = false;
let pauses = 0;
let noticeTimer = null;
let refreshError = false;

function setStatus(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

function showError(message, fromRefresh = false) {
  refreshError = fromRefresh;
  errorBox.hidden = false;
  setHtml(errorBox, html`<span data-testid="error-text">${message}</span>
    <button type="button" class="link" data-testid="error-close" aria-label="Dismiss">\u00d7</button>`);
}

function clearError() {
  errorBox.hidden = true;
  refreshError = false;
}

function showNotice(message) {
  clearTimeout(noticeTimer);
  noticeBox.textContent = message;
  noticeBox.hidden = false;
  noticeTimer = setTimeout(() => {
    noticeBox.hidden = true;
  }, 6000);
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(refreshNow, app.config ? app.config.refreshMillis : 2000);
}

/** Refreshes the current view now; one refresh at a time, the next one a period later. */
async function refreshNow() {
  clearTimeout(timer);
  if (running) {
    again = true;
    return running;
  }
  running = refreshOnce();
  try {
    await running;
  } finally {
    running = null;
  }
  if (again) {
    again = false;
    return refreshNow();
  }
  schedule();
}

async function refreshOnce() {
  const view = current;
  if (!view || pauses > 0 || document.hidden) return;
  try {
    await view.refresh();
    if (view !== current) return;
    setStatus('ok', `updated ${clock(new Date())}`);
    if (refreshError) clearError();
  } catch (ex) {
    if (view !== current) return;
    if (ex instanceof api.ApiError && ex.unreachable) {
      setStatus('lost', 'connection lost');
    } else {
      setStatus('ok', `updated ${clock(new Date())}`);
      showError(ex.message, true);
    }
  }
}

const app = {
  config: null,
  range: 'hour',
  api,
  get writable() {
    return !!this.config && this.config.readOnly === false;
  },
  navigate(hash) {
    location.hash = hash;
  },
  /** Records a view's state in the address (for a bookmark) without reloading the view. */
  replaceHash(hash) {
    history.replaceState(null, '', hash);
  },
  refreshNow,
  /** A confirm() during which nothing refreshes under the user's eyes. */
  confirm(message) {
    pauses += 1;
    try {
      return window.confirm(message);
    } finally {
      pauses -= 1;
    }
  },
  /** Runs a read outside the refresh cycle (a click), showing its error. */
  async run(read) {
    try {
      await read();
    } catch (ex) {
      showError(ex.message);
    }
  },
  /** A write: the server's error shown as is, a notice from describe(answer), then a refresh. */
  async write(request, describe) {
    pauses += 1;
    let answer = null;
    try {
      answer = await request();
      clearError();
      if (describe) showNotice(describe(answer));
    } catch (ex) {
      showError(ex.message);
    } finally {
      pauses -= 1;
    }
    refreshNow();
    return answer;
  },
};

function notFoundView() {
  return {
    title: 'Not found',
    mount(parent) {
      parent.append(element(html`<div class="panel"><h2>No such page</h2><p><a href="#/overview">Go to the overview</a></p></div>`));
    },
    async refresh() {},
    destroy() {},
  };
}

function decode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch (ex) {
    return segment;
  }
}

function route() {
  const raw = location.hash.replace(/^#\/?/, '');
  const at = raw.indexOf('?');
  const segments = (at < 0 ? raw : raw.slice(0, at)).split('/').filter(Boolean).map(decode);
  const params = new URLSearchParams(at < 0 ? '' : raw.slice(at + 1));
  const [first, second] = segments;
  if (!first || first === 'overview') return ['overview', overviewView(app)];
  if (first === 'tasks') return ['tasks', tasksView(app, params)];
  if (first === 'jobs' && (second === 'dead' || second === 'scheduled') && segments.length === 2) {
    return [`jobs/${second}`, jobListView(app, second, params)];
  }
  if (first === 'job' && segments.length === 3) return ['job', jobView(app, segments[1], segments[2])];
  if (first === 'recurring') return ['recurring', recurringView(app)];
  if (first === 'instances') return ['instances', instancesView(app)];
  return ['missing', notFoundView()];
}

function show() {
  if (current) current.destroy();
  const [name, view] = route();
  current = view;
  main.replaceChildren();
  main.dataset.view = name;
  for (const link of document.querySelectorAll('[data-testid="nav"] a')) {
    if (link.dataset.route === name) {
      link.setAttribute('aria-current', 'page');
      // At phone width the links are a row that scrolls sideways: keep the current one in sight.
      link.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    } else {
      link.removeAttribute('aria-current');
    }
  }
  document.title = `${view.title} \u00b7 taskq`;
  clearError();
  view.mount(main);
  window.scrollTo(0, 0);
  refreshNow();
}

async function start() {
  errorBox.addEventListener('click', (event) => {
    if (event.target.closest('[data-testid="error-close"]')) clearError();
  });
  setStatus('loading', 'loading\u2026');
  for (;;) {
    try {
      app.config = await api.get('config');
      break;
    } catch (ex) {
      setStatus('lost', 'connection lost');
      if (!(ex instanceof api.ApiError && ex.unreachable)) showError(ex.message);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
  app.config.queues = app.config.queues || [];
  app.config.refreshMillis = Math.max(500, Number(app.config.refreshMillis) || 2000);
  document.querySelector('[data-testid="readonly-badge"]').hidden = app.writable;
  document.body.classList.toggle('read-only', !app.writable);
  window.addEventListener('hashchange', show);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) refreshNow();
  });
  show();
}

start();

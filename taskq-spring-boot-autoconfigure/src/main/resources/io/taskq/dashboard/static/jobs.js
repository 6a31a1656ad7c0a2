// Dead and scheduled jobs: filtered pages, selection, bulk actions; one job's detail.

import { path } from './api.js';
import { count, fromLocalInput, html, relative, setHtml, simpleName, time, toLocalInput, updateRows } from './format.js';
import { element, jobLink, jobsLink, onAction } from './views.js';

const PAGE_SIZE = 50;

const KINDS = {
  dead: {
    title: 'Dead jobs',
    noun: 'dead job',
    filters: ['task', 'error', 'from', 'to'],
    columns: ['Job', 'Task', 'Reason', 'Error type', 'Attempts', 'Enqueued', 'Failed'],
    actions: [
      { action: 'retry', label: 'Retry', done: 'Retried', endpoint: 'retry' },
      { action: 'delete', label: 'Delete', done: 'Deleted', endpoint: 'delete', danger: true },
    ],
  },
  scheduled: {
    title: 'Scheduled jobs',
    noun: 'scheduled job',
    filters: ['task', 'from', 'to'],
    columns: ['Job', 'Task', 'Due', 'Attempt', ''],
    actions: [
      { action: 'run-now', label: 'Run now', done: 'Started', endpoint: 'run-now' },
      { action: 'delete', label: 'Delete', done: 'Deleted', endpoint: 'delete', danger: true },
    ],
  },
};

function plural(n, noun) {
  return `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function queueOptions(queues, selected) {
  const names = queues.includes(selected) || !selected ? queues : [selected, ...queues];
  return names.map((name) => html`<option value="${name}" ${name === selected ? 'selected' : ''}>${name}</option>`);
}

function lookupForm(app, queue) {
  return html`<form class="lookup" data-region="lookup" data-testid="lookup" autocomplete="off">
      <label><span class="sr-only">Queue</span><select name="queue" data-testid="lookup-queue">${queueOptions(app.config.queues, queue)}</select></label>
      <label class="grow"><span class="sr-only">Job id</span><input name="id" placeholder="Find a job by id" data-testid="lookup-id" required></label>
      <button type="submit" data-testid="lookup-open">Open</button>
    </form>`;
}

function bindLookup(app, root) {
  root.querySelector('[data-region="lookup"]').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const id = form.elements.id.value.trim();
    if (id) app.navigate(jobLink(form.elements.queue.value, id));
  });
}

export function jobListView(app, kind, params) {
  const spec = KINDS[kind];
  let root = null;
  const filter = { queue: params.get('queue') || app.config.queues[0] || '' };
  for (const name of spec.filters) filter[name] = params.get(name) || '';
  let cursor = null;
  let page = 1;
  let nextCursor = null;
  let shown = [];
  let requests = 0;
  const selection = new Set();

  function hasFilter() {
    return spec.filters.some((name) => filter[name]);
  }

  function rememberFilter() {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) if (value) search.set(name, value);
    app.replaceHash(`#/jobs/${kind}?${search}`);
  }

  function filterForms() {
    return html`<form class="filters" data-region="filters" data-testid="${kind}-filters" autocomplete="off">
        <label>Queue <select name="queue" data-testid="${kind}-queue">${queueOptions(app.config.queues, filter.queue)}</select></label>
        <label>Task <input name="task" value="${filter.task}" placeholder="exact name" data-testid="${kind}-filter-task"></label>
        ${kind === 'dead' ? html`<label>Error <input name="error" value="${filter.error}" placeholder="part of reason or type" data-testid="dead-filter-error"></label>` : ''}
        <label>${kind === 'dead' ? 'Died after' : 'Due after'} <input type="datetime-local" name="from" value="${toLocalInput(filter.from)}" data-testid="${kind}-filter-from"></label>
        <label>${kind === 'dead' ? 'Died before' : 'Due before'} <input type="datetime-local" name="to" value="${toLocalInput(filter.to)}" data-testid="${kind}-filter-to"></label>
        <div class="filter-buttons">
          <button type="submit" class="primary" data-testid="${kind}-apply">Apply</button>
          <button type="button" data-action="clear-filter" data-testid="${kind}-clear">Clear</button>
        </div>
      </form>`;
  }

  function toolbar() {
    if (!app.writable) return '';
    return html`<div class="toolbar" data-testid="${kind}-actions">
        <div class="toolbar-group">${spec.actions.map((a) => html`<button type="button" class="${a.danger ? 'danger' : ''}" data-action="selected" data-op="${a.action}" data-testid="${a.action}-selected" disabled>${a.label} selected</button>`)}</div>
        <div class="toolbar-group">${spec.actions.map((a) => html`<button type="button" class="${a.danger ? 'danger' : ''}" data-action="all" data-op="${a.action}" data-testid="${a.action}-all">${a.label} all matching\u2026</button>`)}</div>
      </div>`;
  }

  // A row's markup depends on the job only: the selection is applied to the elements
  // afterwards, so a refresh does not replace a row because it was ticked.
  function row(job) {
    const check = app.writable
      ? html`<td class="check"><input type="checkbox" data-action="select" data-id="${job.id}" data-testid="select-${job.id}" aria-label="Select ${job.id}"></td>`
      : '';
    const id = html`<td><a class="mono" href="${jobLink(job.queue || filter.queue, job.id)}">${job.id}</a></td>`;
    if (kind === 'dead') {
      return html`<tr data-testid="dead-row-${job.id}">${check}${id}
          <td>${job.task}</td>
          <td class="clip" title="${job.reason || ''}">${job.reason}</td>
          <td title="${job.errorType || ''}">${simpleName(job.errorType)}</td>
          <td class="num">${count(job.attempts)}</td>
          <td title="${job.enqueuedAt || ''}">${time(job.enqueuedAt)}</td>
          <td title="${job.failedAt || ''}">${time(job.failedAt)}</td>
        </tr>`;
    }
    return html`<tr data-testid="scheduled-row-${job.id}">${check}${id}
        <td>${job.task}</td>
        <td title="${job.dueAt || ''}">${time(job.dueAt)} <span class="muted">(${relative(job.dueAt)})</span></td>
        <td class="num">${count(job.attempt)}</td>
        <td>${job.retrying ? html`<span class="badge warn">retrying</span>` : ''}</td>
      </tr>`;
  }

  function showSelection() {
    if (!root) return;
    for (const box of root.querySelectorAll('input[data-action="select"]')) {
      box.checked = selection.has(box.dataset.id);
      box.closest('tr').classList.toggle('is-selected', box.checked);
    }
    for (const button of root.querySelectorAll('[data-action="selected"]')) {
      button.disabled = selection.size === 0;
      const spec_ = spec.actions.find((a) => a.action === button.dataset.op);
      button.textContent = selection.size ? `${spec_.label} ${selection.size} selected` : `${spec_.label} selected`;
    }
    const all = root.querySelector('[data-testid="select-page"]');
    if (all) {
      const onPage = shown.filter((job) => selection.has(job.id)).length;
      all.checked = shown.length > 0 && onPage === shown.length;
      all.indeterminate = onPage > 0 && onPage < shown.length;
    }
  }

  function showPager() {
    root.querySelector('[data-testid="page-first"]').disabled = page === 1;
    root.querySelector('[data-testid="page-next"]').disabled = !nextCursor;
    root.querySelector('[data-testid="page-number"]').textContent = `Page ${page}`;
  }

  function resetPages() {
    cursor = null;
    page = 1;
    nextCursor = null;
    selection.clear();
  }

  function applyForm(form) {
    filter.queue = form.elements.queue.value;
    for (const name of spec.filters) {
      const value = form.elements[name].value.trim();
      filter[name] = name === 'from' || name === 'to' ? fromLocalInput(value) : value;
    }
    resetPages();
    rememberFilter();
    showSelection();
    app.refreshNow();
  }

  function describeFilter() {
    const parts = [];
    if (filter.task) parts.push(`task = ${filter.task}`);
    if (filter.error) parts.push(`error contains "${filter.error}"`);
    if (filter.from) parts.push(`after ${time(filter.from)}`);
    if (filter.to) parts.push(`before ${time(filter.to)}`);
    return parts.join(', ');
  }

  function filterBody() {
    const body = {};
    for (const name of spec.filters) if (filter[name]) body[name] = filter[name];
    return body;
  }

  function runAction(op, body, confirmText) {
    const action = spec.actions.find((a) => a.action === op);
    if (confirmText && !app.confirm(confirmText)) return;
    const requested = body.ids ? body.ids.length : null;
    app.write(() => app.api.post(`jobs/${kind}/${action.endpoint}`, body), (answer) => {
      selection.clear();
      const affected = answer && typeof answer.affected === 'number' ? answer.affected : 0;
      const text = `${action.done} ${plural(affected, spec.noun)}.`;
      return requested !== null && affected < requested
        ? `${text} ${requested - affected} of those selected had already left the ${kind} jobs.`
        : text;
    });
  }

  return {
    title: spec.title,
    mount(parent) {
      root = element(html`<div class="view-jobs">
          <div class="section-head tabs-row">
            <nav class="tabs" aria-label="Job lists">
              <a href="${jobsLink('dead', filter.queue)}" data-testid="tab-dead" class="${kind === 'dead' ? 'active' : ''}">Dead</a>
              <a href="${jobsLink('scheduled', filter.queue)}" data-testid="tab-scheduled" class="${kind === 'scheduled' ? 'active' : ''}">Scheduled</a>
            </nav>
            ${lookupForm(app, filter.queue)}
          </div>
          <section class="panel">
            ${filterForms()}
            ${toolbar()}
            <p class="summary" data-region="summary" data-testid="jobs-total"></p>
            <div class="table-wrap">
              <table class="data" data-testid="${kind}-table">
                <thead><tr>${app.writable ? html`<th class="check"><input type="checkbox" data-action="select-page" data-testid="select-page" aria-label="Select this page"></th>` : ''}
                  ${spec.columns.map((c) => html`<th class="${c === 'Attempts' || c === 'Attempt' ? 'num' : ''}">${c}</th>`)}</tr></thead>
                <tbody data-region="jobs"></tbody>
              </table>
            </div>
            <div class="pager">
              <button type="button" data-action="first" data-testid="page-first">First page</button>
              <span data-testid="page-number">Page 1</span>
              <button type="button" data-action="next" data-testid="page-next">Next</button>
            </div>
          </section>
        </div>`);
      parent.append(root);
      const form = root.querySelector('[data-region="filters"]');
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        applyForm(form);
      });
      form.elements.queue.addEventListener('change', () => applyForm(form));
      bindLookup(app, root);
      root.addEventListener('change', (event) => {
        const box = event.target;
        if (box.dataset.action === 'select') {
          if (box.checked) selection.add(box.dataset.id);
          else selection.delete(box.dataset.id);
        } else if (box.dataset.action === 'select-page') {
          for (const job of shown) {
            if (box.checked) selection.add(job.id);
            else selection.delete(job.id);
          }
        } else {
          return;
        }
        showSelection();
      });
      onAction(root, {
        'clear-filter': () => {
          for (const name of spec.filters) form.elements[name].value = '';
          applyForm(form);
        },
        first: () => {
          resetPages();
          showSelection();
          app.refreshNow();
        },
        next: () => {
          if (!nextCursor) return;
          cursor = nextCursor;
          page += 1;
          selection.clear();
          showSelection();
          app.refreshNow();
          root.scrollIntoView({ block: 'start' });
        },
        selected: (button) => {
          const op = button.dataset.op;
          const ids = Array.from(selection);
          const confirmText = op === 'delete' ? `Delete ${plural(ids.length, spec.noun)} of queue ${filter.queue}? This cannot be undone.` : null;
          runAction(op, { queue: filter.queue, ids }, confirmText);
        },
        all: (button) => {
          const op = button.dataset.op;
          const action = spec.actions.find((a) => a.action === op);
          const which = hasFilter() ? `every ${spec.noun} of queue ${filter.queue} matching ${describeFilter()}` : `every ${spec.noun} of queue ${filter.queue}`;
          const undo = op === 'delete' ? ' This cannot be undone.' : '';
          runAction(op, { queue: filter.queue, filter: filterBody() }, `${action.label} ${which}?${undo}`);
        },
      });
      showSelection();
    },
    async refresh() {
      if (!filter.queue) {
        root.querySelector('[data-region="summary"]').textContent = 'No queues yet: they appear once a handler or a job names them.';
        return;
      }
      // A page asked for before the filter or the page changed is dropped when it arrives late.
      const mine = ++requests;
      const data = await app.api.get(`jobs/${kind}`, { ...filter, cursor, limit: PAGE_SIZE });
      if (!root || mine !== requests) return;
      shown = data.jobs || [];
      nextCursor = data.nextCursor || null;
      const columns = spec.columns.length + (app.writable ? 1 : 0);
      updateRows(root.querySelector('[data-region="jobs"]'), shown.length
        ? shown.map((job) => ({ key: job.id, html: row(job) }))
        : [{ key: '\u0000empty', html: html`<tr class="empty"><td colspan="${columns}">${nextCursor ? 'No match on this page of the scan: try Next.' : `No ${spec.noun}s${hasFilter() ? ' match the filter' : ''}.`}</td></tr>` }]);
      const total = `${plural(data.total ?? 0, spec.noun)} in queue ${filter.queue}`;
      root.querySelector('[data-region="summary"]').textContent = hasFilter() ? `${count(shown.length)} matching on this page \u00b7 ${total}` : total;
      showPager();
      showSelection();
    },
    destroy() {
      root = null;
    },
  };
}

const STATE_CLASS = { DEAD: 'bad', SCHEDULED: 'info', RETRYING: 'warn', QUEUED: 'info', RUNNING: 'info', SUCCEEDED: 'ok', CANCELLED: 'muted' };

function field(label, value, wide = false) {
  return html`<div class="${wide ? 'wide' : ''}"><dt>${label}</dt><dd>${value === null || value === undefined || value === '' ? html`<span class="muted">\u2013</span>` : value}</dd></div>`;
}

function instant(iso) {
  return iso ? html`<span title="${iso}">${time(iso)} <span class="muted">(${relative(iso)})</span></span>` : null;
}

function pretty(value) {
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value);
      if (parsed !== null && typeof parsed === 'object') return JSON.stringify(parsed, null, 2);
    } catch (ex) {
      return value;
    }
    return value;
  }
  return JSON.stringify(value, null, 2);
}

export function jobView(app, queue, id) {
  let root = null;
  let job = null;
  // Set once the job is deleted from here: the view is left, and not read again.
  let deleted = false;

  function actions() {
    if (!app.writable || !job) return '';
    const state = job.state;
    const buttons = [];
    if (state === 'DEAD') {
      buttons.push(html`<button type="button" class="primary" data-action="retry" data-testid="job-retry">Retry</button>`);
    }
    if (state === 'SCHEDULED' || state === 'RETRYING') {
      buttons.push(html`<button type="button" class="primary" data-action="run-now" data-testid="job-run-now">Run now</button>`);
    }
    if (state === 'DEAD' || state === 'SCHEDULED' || state === 'RETRYING') {
      buttons.push(html`<button type="button" class="danger" data-action="delete" data-testid="job-delete">Delete</button>`);
    }
    return buttons.length ? html`<div class="toolbar"><div class="toolbar-group">${buttons}</div></div>` : '';
  }

  function stack(trace) {
    if (!trace) return '';
    const lines = String(trace).split('\n');
    const head = lines.slice(0, 12).join('\n');
    return html`<pre class="code" data-testid="job-stack">${head}</pre>
      ${lines.length > 12 ? html`<details><summary>Whole stack trace (${count(lines.length)} lines)</summary><pre class="code">${trace}</pre></details>` : ''}`;
  }

  function headers(map) {
    const entries = Object.entries(map || {});
    if (entries.length === 0) return html`<p class="muted">No headers.</p>`;
    return html`<div class="table-wrap"><table class="data compact" data-testid="job-headers"><tbody>
        ${entries.map(([name, value]) => html`<tr><th scope="row">${name}</th><td class="wrap mono">${typeof value === 'string' ? value : JSON.stringify(value)}</td></tr>`)}
      </tbody></table></div>`;
  }

  function payload() {
    if (job.payloadHidden) {
      return html`<p class="muted" data-testid="job-payload-hidden">hidden (set taskq.show-payloads=true)</p>`;
    }
    if (job.payload === null || job.payload === undefined) return html`<p class="muted" data-testid="job-payload">No payload.</p>`;
    return html`<pre class="code" data-testid="job-payload">${pretty(job.payload)}</pre>`;
  }

  function tracked(status) {
    if (!status) return html`<p class="muted" data-testid="job-tracked">Not tracked.</p>`;
    return html`<dl class="fields" data-testid="job-tracked">
        ${field('State', status.state)}${field('Attempt', count(status.attempt))}${field('Updated', instant(status.updatedAt))}
        ${field('Error', status.error, true)}
      </dl>
      ${status.result !== null && status.result !== undefined ? html`<h4>Result</h4><pre class="code">${pretty(status.result)}</pre>` : ''}`;
  }

  function render() {
    const state = job.state || 'UNKNOWN';
    const hasError = job.reason || job.errorType || job.stackTrace;
    // taskq's reasons name the exception already ("failed on attempt 1 of 6: java...").
    const typeBeforeReason = job.errorType && !String(job.reason || '').includes(job.errorType);
    return html`<div class="job-title">
        <h2>Job <span class="mono" data-testid="job-id">${job.id}</span></h2>
        <span class="badge ${STATE_CLASS[state] || 'muted'}" data-testid="job-state">${state}</span>
      </div>
      ${actions()}
      <section class="panel">
        <dl class="fields" data-testid="job-fields">
          ${field('Queue', job.queue)}${field('Task', job.task)}${field('Attempt', count(job.attempt))}
          ${field('Enqueued', instant(job.enqueuedAt))}${field('Due', instant(job.dueAt))}${field('Failed', instant(job.failedAt))}
        </dl>
      </section>
      ${hasError ? html`<section class="panel" data-testid="job-error"><h3>Error</h3>
        <p class="error-text">${typeBeforeReason ? html`<span class="mono">${job.errorType}</span>: ` : ''}${job.reason}</p>
        ${stack(job.stackTrace)}</section>` : ''}
      <section class="panel"><h3>Payload</h3>${payload()}</section>
      <section class="panel"><h3>Headers</h3>${headers(job.headers)}</section>
      <section class="panel"><h3>Tracked status</h3>${tracked(job.tracked)}</section>`;
  }

  function act(endpoint, done, confirmText, after) {
    if (confirmText && !app.confirm(confirmText)) return;
    app.write(() => app.api.post(endpoint, { queue, ids: [id] }), (answer) => {
      const affected = answer && answer.affected;
      if (after && affected) after();
      return affected ? done : 'Nothing changed: the job had already moved on.';
    });
  }

  return {
    title: `Job ${id}`,
    mount(parent) {
      root = element(html`<div class="view-job">
          <div class="section-head tabs-row">
            <nav class="crumbs"><a href="${jobsLink('dead', queue)}">Dead jobs</a> \u00b7 <a href="${jobsLink('scheduled', queue)}">Scheduled jobs</a></nav>
            ${lookupForm(app, queue)}
          </div>
          <div data-region="job" data-testid="job-detail"><p class="muted">Loading\u2026</p></div>
        </div>`);
      parent.append(root);
      bindLookup(app, root);
      root.querySelector('[data-testid="lookup-id"]').value = id;
      onAction(root, {
        retry: () => act('jobs/dead/retry', 'Job retried: it is queued again.'),
        'run-now': () => act('jobs/scheduled/run-now', 'Job queued to run now.'),
        delete: () => {
          const list = job.state === 'DEAD' ? 'dead' : 'scheduled';
          act(`jobs/${list}/delete`, 'Job deleted.', `Delete job ${id}? This cannot be undone.`, () => {
            deleted = true;
            app.navigate(jobsLink(list, queue));
          });
        },
      });
    },
    async refresh() {
      if (deleted) return;
      const region = () => root && root.querySelector('[data-region="job"]');
      try {
        job = await app.api.get(path('jobs', queue, id));
      } catch (ex) {
        if (ex.status !== 404 || !root) throw ex;
        job = null;
        setHtml(region(), html`<div class="panel not-found" data-testid="job-not-found"><h2>No job ${id} in queue ${queue}</h2>
            <p>${ex.message}</p><p class="muted">taskq forgets a job that is not tracked once it has run.</p></div>`);
        return;
      }
      if (root) setHtml(region(), render());
    },
    destroy() {
      root = null;
    },
  };
}

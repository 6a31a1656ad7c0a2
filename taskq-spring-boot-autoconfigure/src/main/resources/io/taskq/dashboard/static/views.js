// The overview, tasks, recurring and instances views. A view is { title, mount(parent),
// refresh(), destroy() }: mount draws the parts that do not change, refresh fetches and
// updates only the data (rows by key), so a refresh keeps selection, focus and scroll.

import { path } from './api.js';
import { perSecondChart, sparkline } from './charts.js';
import { count, duration, html, percent, perSecond, relative, setHtml, time, updateRows } from './format.js';

export function element(content) {
  const template = document.createElement('template');
  template.innerHTML = String(content).trim();
  return template.content.firstElementChild;
}

export function jobsLink(kind, queue) {
  return `#/jobs/${kind}?queue=${encodeURIComponent(queue)}`;
}

export function jobLink(queue, id) {
  return `#/job/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`;
}

function rangeSwitch() {
  return html`<div class="segmented" role="group" aria-label="Range">
      <button type="button" data-action="range" data-range="hour" data-testid="range-hour">Last hour</button>
      <button type="button" data-action="range" data-range="day" data-testid="range-day">Last day</button>
    </div>`;
}

function showRange(root, range) {
  for (const button of root.querySelectorAll('[data-action="range"]')) {
    button.setAttribute('aria-pressed', String(button.dataset.range === range));
  }
}

function emptyRow(columns, text) {
  return { key: '\u0000empty', html: html`<tr class="empty"><td colspan="${columns}">${text}</td></tr>` };
}

function stateBadge(paused) {
  return paused ? html`<span class="badge warn">paused</span>` : html`<span class="badge ok">active</span>`;
}

/** Clicks on [data-action] inside root, to handlers by action name. */
export function onAction(root, handlers) {
  root.addEventListener('click', (event) => {
    const target = event.target.closest('[data-action]');
    if (!target || !root.contains(target)) return;
    const handler = handlers[target.dataset.action];
    if (handler) {
      event.preventDefault();
      handler(target, event);
    }
  });
}

export function overviewView(app) {
  let root = null;
  let charts = [];

  function queueRow(queue) {
    const name = queue.name;
    return html`<tr data-testid="queue-row-${name}" class="${queue.paused ? 'is-paused' : ''}">
        <th scope="row">${name}</th>
        <td class="num" data-col="ready">${count(queue.ready)}</td>
        <td class="num" data-col="running">${count(queue.running)}</td>
        <td class="num" data-col="delayed"><a href="${jobsLink('scheduled', name)}">${count(queue.delayed)}</a></td>
        <td class="num" data-col="dead"><a class="${queue.dead > 0 ? 'bad' : ''}" href="${jobsLink('dead', name)}">${count(queue.dead)}</a></td>
        <td class="num" data-col="lag">${count(queue.lag)}</td>
        <td class="num" data-col="oldest-wait">${duration(queue.oldestWaitMillis)}</td>
        <td data-col="state">${stateBadge(queue.paused)}</td>
        ${app.writable ? html`<td class="actions">${queue.paused
          ? html`<button type="button" data-action="resume" data-queue="${name}" data-testid="resume-${name}">Resume</button>`
          : html`<button type="button" data-action="pause" data-queue="${name}" data-testid="pause-${name}">Pause</button>`}</td>` : ''}
      </tr>`;
  }

  function stat(label, value, testid) {
    return html`<div class="stat"><span class="stat-label">${label}</span><span class="stat-value" data-testid="${testid}">${value}</span></div>`;
  }

  function latency(figures) {
    const f = figures || {};
    return html`${stat('Jobs started', count(f.count), 'latency-count')}${stat('Mean', duration(f.meanMillis), 'latency-mean')}${stat('p50', duration(f.p50Millis), 'latency-p50')}${stat('p95', duration(f.p95Millis), 'latency-p95')}${stat('Max', duration(f.maxMillis), 'latency-max')}`;
  }

  function summary(values) {
    const numbers = (values || []).filter((v) => v !== null && v !== undefined);
    if (numbers.length === 0) return 'no data';
    const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
    return `mean ${perSecond(mean)}/s, peak ${perSecond(Math.max(...numbers))}/s`;
  }

  function setQueueState(button, paused) {
    const queue = button.dataset.queue;
    const verb = paused ? 'pause' : 'resume';
    app.write(() => app.api.post(path('queues', queue, verb)), (answer) =>
      answer && answer.paused ? `Queue ${queue} paused.` : `Queue ${queue} resumed.`);
  }

  return {
    title: 'Overview',
    mount(parent) {
      root = element(html`<div class="view-overview">
          <section class="panel">
            <div class="section-head"><h2>Queues</h2></div>
            <div class="table-wrap">
              <table class="data" data-testid="queues-table">
                <thead><tr><th>Queue</th><th class="num">Ready</th><th class="num">Running</th><th class="num">Delayed</th>
                  <th class="num">Dead</th><th class="num">Lag</th><th class="num">Oldest wait</th><th>State</th>
                  ${app.writable ? html`<th><span class="sr-only">Actions</span></th>` : ''}</tr></thead>
                <tbody data-region="queues"></tbody>
              </table>
            </div>
          </section>
          <section class="panel">
            <div class="section-head"><h2>Throughput</h2>${rangeSwitch()}</div>
            <div class="charts">
              <figure class="chart-card"><figcaption>Processed per second <span class="muted" data-region="processed-summary"></span></figcaption>
                <div class="chart" data-testid="chart-processed"></div></figure>
              <figure class="chart-card"><figcaption>Failed per second <span class="muted" data-region="failed-summary"></span></figcaption>
                <div class="chart" data-testid="chart-failed"></div></figure>
            </div>
          </section>
          <section class="panel">
            <div class="section-head"><h2>Enqueue-to-start latency</h2><span class="muted" data-region="latency-range"></span></div>
            <div class="stats" data-region="latency" data-testid="latency"></div>
          </section>
        </div>`);
      parent.append(root);
      onAction(root, {
        pause: (button) => setQueueState(button, true),
        resume: (button) => setQueueState(button, false),
        range: (button) => {
          app.range = button.dataset.range;
          showRange(root, app.range);
          app.refreshNow();
        },
      });
      showRange(root, app.range);
      charts = [
        perSecondChart(root.querySelector('[data-testid="chart-processed"]'), 'processed/s', '--accent'),
        perSecondChart(root.querySelector('[data-testid="chart-failed"]'), 'failed/s', '--bad'),
      ];
    },
    async refresh() {
      const data = await app.api.get('overview', { range: app.range });
      if (!root) return;
      const queues = data.queues || [];
      updateRows(root.querySelector('[data-region="queues"]'), queues.length
        ? queues.map((queue) => ({ key: queue.name, html: queueRow(queue) }))
        : [emptyRow(app.writable ? 9 : 8, 'No queues yet: they appear once a handler or a job names them.')]);
      const series = data.series || { start: new Date().toISOString(), stepSeconds: 60 };
      charts[0].update(series, series.processedPerSecond);
      charts[1].update(series, series.failedPerSecond);
      root.querySelector('[data-region="processed-summary"]').textContent = summary(series.processedPerSecond);
      root.querySelector('[data-region="failed-summary"]').textContent = summary(series.failedPerSecond);
      root.querySelector('[data-region="latency-range"]').textContent = series.range === 'day' ? 'last day' : 'last hour';
      setHtml(root.querySelector('[data-region="latency"]'), latency(data.latency));
    },
    destroy() {
      charts.forEach((chart) => chart.destroy());
      root = null;
    },
  };
}

export function tasksView(app, params) {
  let root = null;
  let selected = params.get('queue') && params.get('task') ? { queue: params.get('queue'), task: params.get('task') } : null;

  function key(queue, task) {
    return `${queue}/${task}`;
  }

  function taskRow(t) {
    const isSelected = selected && selected.queue === t.queue && selected.task === t.task;
    return html`<tr data-testid="task-row-${key(t.queue, t.task)}" class="clickable ${isSelected ? 'is-selected' : ''}"
        data-action="select-task" data-queue="${t.queue}" data-task="${t.task}" tabindex="0" aria-selected="${isSelected ? 'true' : 'false'}">
        <th scope="row"><span class="task-name">${t.task}</span></th>
        <td>${t.queue}</td>
        <td class="num">${count(t.count)}</td>
        <td class="num ${t.failureRate >= 0.05 ? 'bad' : t.failed > 0 ? 'warn' : ''}" title="${count(t.failed)} failed">${percent(t.failureRate)}</td>
        <td class="num">${duration(t.meanMillis)}</td>
        <td class="num">${duration(t.p95Millis)}</td>
        <td class="num">${duration(t.maxMillis)}</td>
        <td class="spark-cell">${sparkline(t.trend, `mean duration of ${t.task} per step`)}</td>
      </tr>`;
  }

  function runRow(run, queue) {
    return html`<tr data-testid="slow-run-${run.jobId}">
        <td><a class="mono" href="${jobLink(queue, run.jobId)}">${run.jobId}</a></td>
        <td class="num">${duration(run.durationMillis)}</td>
        <td title="${run.finishedAt}">${time(run.finishedAt)}</td>
        <td>${run.instance}</td>
        <td>${run.failed ? html`<span class="badge bad">failed</span>` : html`<span class="badge ok">ok</span>`}</td>
      </tr>`;
  }

  async function loadRuns() {
    const panel = root.querySelector('[data-region="slow-runs"]');
    if (!selected) {
      panel.hidden = true;
      return;
    }
    const { queue, task } = selected;
    const data = await app.api.get(path('tasks', queue, task, 'slow-runs'));
    if (!root || !selected || selected.queue !== queue || selected.task !== task) return;
    panel.hidden = false;
    root.querySelector('[data-region="slow-runs-title"]').textContent = `Slowest runs of ${task} (${queue}), last day`;
    const runs = data.runs || [];
    updateRows(panel.querySelector('tbody'), runs.length
      ? runs.map((run, i) => ({ key: `${run.jobId}#${i}`, html: runRow(run, queue) }))
      : [emptyRow(5, 'No runs recorded in the last day.')]);
  }

  function select(row) {
    const next = { queue: row.dataset.queue, task: row.dataset.task };
    const same = selected && selected.queue === next.queue && selected.task === next.task;
    selected = same ? null : next;
    app.replaceHash(selected ? `#/tasks?queue=${encodeURIComponent(next.queue)}&task=${encodeURIComponent(next.task)}` : '#/tasks');
    for (const tr of root.querySelectorAll('tr[data-action="select-task"]')) {
      const on = !!selected && tr.dataset.queue === selected.queue && tr.dataset.task === selected.task;
      tr.classList.toggle('is-selected', on);
      tr.setAttribute('aria-selected', String(on));
    }
    root.querySelector('[data-region="slow-runs"] tbody').replaceChildren();
    app.run(loadRuns).then(() => {
      if (selected) root?.querySelector('[data-region="slow-runs"]').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    });
  }

  return {
    title: 'Tasks',
    mount(parent) {
      root = element(html`<div class="view-tasks">
          <section class="panel">
            <div class="section-head"><h2>Tasks, slowest first</h2>${rangeSwitch()}</div>
            <div class="table-wrap">
              <table class="data" data-testid="tasks-table">
                <thead><tr><th>Task</th><th>Queue</th><th class="num">Runs</th><th class="num">Failed</th><th class="num">Mean</th>
                  <th class="num">p95</th><th class="num">Max</th><th>Trend (mean)</th></tr></thead>
                <tbody data-region="tasks"></tbody>
              </table>
            </div>
            <p class="hint">Select a task to see its slowest recent runs.</p>
          </section>
          <section class="panel" data-region="slow-runs" data-testid="slow-runs" hidden>
            <div class="section-head"><h2 data-region="slow-runs-title">Slowest runs</h2>
              <button type="button" data-action="close-runs" data-testid="slow-runs-close">Close</button></div>
            <div class="table-wrap">
              <table class="data"><thead><tr><th>Job</th><th class="num">Duration</th><th>Finished</th><th>Instance</th><th>Outcome</th></tr></thead>
                <tbody></tbody></table>
            </div>
          </section>
        </div>`);
      parent.append(root);
      onAction(root, {
        'select-task': select,
        'close-runs': () => {
          selected = null;
          app.replaceHash('#/tasks');
          root.querySelector('[data-region="slow-runs"]').hidden = true;
          for (const tr of root.querySelectorAll('tr.is-selected')) tr.classList.remove('is-selected');
        },
        range: (button) => {
          app.range = button.dataset.range;
          showRange(root, app.range);
          app.refreshNow();
        },
      });
      root.addEventListener('keydown', (event) => {
        const row = event.target.closest('tr[data-action="select-task"]');
        if (row && (event.key === 'Enter' || event.key === ' ')) {
          event.preventDefault();
          select(row);
        }
      });
      showRange(root, app.range);
    },
    async refresh() {
      const [data] = await Promise.all([app.api.get('tasks', { range: app.range }), loadRuns()]);
      if (!root) return;
      const tasks = data.tasks || [];
      updateRows(root.querySelector('[data-region="tasks"]'), tasks.length
        ? tasks.map((t) => ({ key: key(t.queue, t.task), html: taskRow(t) }))
        : [emptyRow(8, 'No task has run in this range.')]);
    },
    destroy() {
      root = null;
    },
  };
}

export function recurringView(app) {
  let root = null;

  function row(job) {
    const name = job.name;
    return html`<tr data-testid="recurring-row-${name}" class="${job.paused ? 'is-paused' : ''}">
        <th scope="row">${name}</th>
        <td>${job.queue}</td>
        <td class="mono">${job.schedule}</td>
        <td>${job.misfire}</td>
        <td title="${job.lastFireAt || ''}">${time(job.lastFireAt)}</td>
        <td title="${job.nextFireAt || ''}">${job.paused ? html`<span class="muted">${time(job.nextFireAt)}</span>` : html`${time(job.nextFireAt)} <span class="muted">(${relative(job.nextFireAt)})</span>`}</td>
        <td>${stateBadge(job.paused)}</td>
        ${app.writable ? html`<td class="actions">
          ${job.paused
            ? html`<button type="button" data-action="resume" data-name="${name}" data-testid="recurring-resume-${name}">Resume</button>`
            : html`<button type="button" data-action="pause" data-name="${name}" data-testid="recurring-pause-${name}">Pause</button>`}
          <button type="button" data-action="trigger" data-name="${name}" data-testid="recurring-trigger-${name}">Run now</button></td>` : ''}
      </tr>`;
  }

  function act(verb, done) {
    return (button) => {
      const name = button.dataset.name;
      app.write(() => app.api.post(path('recurring', name, verb)), () => done(name));
    };
  }

  return {
    title: 'Recurring',
    mount(parent) {
      root = element(html`<div class="view-recurring">
          <section class="panel">
            <div class="section-head"><h2>Recurring jobs</h2></div>
            <div class="table-wrap">
              <table class="data" data-testid="recurring-table">
                <thead><tr><th>Name</th><th>Queue</th><th>Schedule</th><th>Misfire</th><th>Last</th><th>Next</th><th>State</th>
                  ${app.writable ? html`<th><span class="sr-only">Actions</span></th>` : ''}</tr></thead>
                <tbody data-region="recurring"></tbody>
              </table>
            </div>
          </section>
        </div>`);
      parent.append(root);
      onAction(root, {
        pause: act('pause', (name) => `${name} paused: no occurrence fires until it is resumed.`),
        resume: act('resume', (name) => `${name} resumed.`),
        trigger: act('trigger', (name) => `${name} enqueued now.`),
      });
    },
    async refresh() {
      const data = await app.api.get('recurring');
      if (!root) return;
      const jobs = data.jobs || [];
      updateRows(root.querySelector('[data-region="recurring"]'), jobs.length
        ? jobs.map((job) => ({ key: job.name, html: row(job) }))
        : [emptyRow(app.writable ? 8 : 7, 'No recurring jobs: give a @TaskHandler a cron or an interval.')]);
    },
    destroy() {
      root = null;
    },
  };
}

function sum(value) {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object') return Object.values(value).reduce((a, b) => a + (Number(b) || 0), 0);
  return 0;
}

function listed(value) {
  if (Array.isArray(value)) return value.join(', ');
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${v}`).join(', ');
  return value;
}

export function instancesView(app) {
  let root = null;

  function row(instance) {
    const busy = sum(instance.busy);
    const concurrency = sum(instance.concurrency);
    const load = concurrency > 0 ? Math.min(100, Math.round((busy / concurrency) * 100)) : 0;
    return html`<tr data-testid="instance-row-${instance.id}">
        <th scope="row">${instance.host}</th>
        <td class="num">${instance.pid}</td>
        <td>${instance.version}</td>
        <td class="wrap">${listed(instance.queues)}</td>
        <td class="num" title="${listed(instance.concurrency)}">${count(concurrency)}</td>
        <td class="num"><span class="meter" title="${load}% busy"><span class="meter-fill" data-load="${Math.round(load / 10) * 10}"></span></span> ${count(busy)}</td>
        <td title="${instance.startedAt}">${relative(instance.startedAt)}</td>
        <td title="${instance.lastSeenAt}">${relative(instance.lastSeenAt)}</td>
      </tr>`;
  }

  return {
    title: 'Instances',
    mount(parent) {
      root = element(html`<div class="view-instances">
          <section class="panel">
            <div class="section-head"><h2>Instances</h2><span class="muted" data-region="summary" data-testid="instances-summary"></span></div>
            <div class="table-wrap">
              <table class="data" data-testid="instances-table">
                <thead><tr><th>Host</th><th class="num">PID</th><th>Version</th><th>Queues</th><th class="num">Concurrency</th>
                  <th class="num">Busy</th><th>Started</th><th>Last seen</th></tr></thead>
                <tbody data-region="instances"></tbody>
              </table>
            </div>
          </section>
        </div>`);
      parent.append(root);
    },
    async refresh() {
      const data = await app.api.get('instances');
      if (!root) return;
      const instances = data.instances || [];
      const busy = instances.reduce((a, i) => a + sum(i.busy), 0);
      const slots = instances.reduce((a, i) => a + sum(i.concurrency), 0);
      root.querySelector('[data-region="summary"]').textContent =
        `${count(instances.length)} ${instances.length === 1 ? 'instance' : 'instances'}, ${count(busy)} of ${count(slots)} workers busy`;
      updateRows(root.querySelector('[data-region="instances"]'), instances.length
        ? instances.map((instance) => ({ key: String(instance.id), html: row(instance) }))
        : [emptyRow(8, 'No instance has sent a heartbeat recently.')]);
    },
    destroy() {
      root = null;
    },
  };
}

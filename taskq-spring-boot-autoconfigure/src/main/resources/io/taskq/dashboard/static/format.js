// HTML building that escapes by default, and the figures' formats.
//
// Every value interpolated into html`...` is escaped unless it is itself the result of
// html`...` (or an array of them): job payloads, error messages, task and queue names
// are user data and never become markup.

class SafeHtml {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

function fragment(value) {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(fragment).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += fragment(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Replaces an element's content, and leaves it alone (focus, open details) when unchanged. */
export function setHtml(element, content) {
  const text = String(content);
  if (element.taskqHtml !== text) {
    element.innerHTML = text;
    element.taskqHtml = text;
  }
}

/**
 * Updates table rows by key: unchanged rows stay the same elements, so a refresh keeps
 * focus, hover and the table's scroll position. rows: [{ key, html }].
 */
export function updateRows(tbody, rows) {
  const existing = new Map();
  for (const row of Array.from(tbody.children)) existing.set(row.dataset.key, row);
  const kept = new Set();
  let previous = null;
  for (const { key, html: content } of rows) {
    if (kept.has(key)) continue;
    kept.add(key);
    const text = String(content);
    let row = existing.get(key);
    if (!row || row.taskqHtml !== text) {
      const template = document.createElement('template');
      template.innerHTML = text;
      const fresh = template.content.firstElementChild;
      fresh.dataset.key = key;
      fresh.taskqHtml = text;
      if (row) row.replaceWith(fresh);
      row = fresh;
    }
    const expected = previous ? previous.nextSibling : tbody.firstChild;
    if (expected !== row) tbody.insertBefore(row, expected);
    previous = row;
  }
  for (const [key, row] of existing) if (!kept.has(key)) row.remove();
}

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export const DASH = '\u2013';

export function count(value) {
  return value === null || value === undefined ? DASH : integer.format(value);
}

export function perSecond(value) {
  if (value === null || value === undefined) return DASH;
  // A job every few minutes is not "0/s".
  if (value > 0 && value < 0.01) return '<0.01';
  return value >= 100 ? integer.format(value) : decimal.format(value);
}

export function percent(rate) {
  if (rate === null || rate === undefined) return DASH;
  const value = rate * 100;
  if (value === 0) return '0%';
  return (value < 0.1 ? '<0.1' : value < 10 ? value.toFixed(1) : integer.format(value)) + '%';
}

export function duration(millis) {
  if (millis === null || millis === undefined) return DASH;
  const ms = Math.abs(millis);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

export function clock(date) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** An instant in the browser's time zone: the time alone when it is today. */
export function time(iso) {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const today = new Date();
  if (date.toDateString() === today.toDateString()) return clock(date);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "12 s ago", "in 4 min". */
export function relative(iso, now = Date.now()) {
  if (!iso) return DASH;
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return String(iso);
  const delta = at - now;
  if (Math.abs(delta) < 1000) return 'now';
  const text = duration(Math.abs(delta)).replace(/ \d+ (s|min|h)$/, '').replace(/\.\d+ s$/, ' s');
  return delta < 0 ? `${text} ago` : `in ${text}`;
}

/** For a datetime-local input: the instant in the browser's time zone, to the minute. */
export function toLocalInput(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** From a datetime-local input (the browser's time zone) to an ISO-8601 instant. */
export function fromLocalInput(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** "com.example.MailException" as "MailException" (the full name goes in a title). */
export function simpleName(type) {
  if (!type) return '';
  const parts = String(type).split('.');
  return parts[parts.length - 1];
}

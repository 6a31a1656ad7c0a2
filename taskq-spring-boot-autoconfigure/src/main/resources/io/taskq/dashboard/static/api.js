// The dashboard's only source: the JSON API next to the page (docs/dashboard.md).
//
// The API lives at the page's directory + "api/", so the dashboard works under any
// configured path (/taskq/, /admin/jobs/) and behind a proxy that adds a prefix.

export function apiBase(pathname) {
  return pathname.replace(/[^/]*$/, '') + 'api/';
}

const BASE = apiBase(location.pathname);

/** A failed request: status 0 when the server could not be reached at all. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  get unreachable() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** A path under api/ from segments, each one encoded: names and ids are user data. */
export function path(...segments) {
  return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Spring Security's CSRF token, when the application sets the cookie. */
function csrfToken() {
  for (const cookie of document.cookie ? document.cookie.split(';') : []) {
    const at = cookie.indexOf('=');
    if (cookie.slice(0, at).trim() === 'XSRF-TOKEN') return decodeURIComponent(cookie.slice(at + 1).trim());
  }
  return null;
}

async function request(method, relative, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    const token = csrfToken();
    if (token) headers['X-XSRF-TOKEN'] = token;
    init.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(BASE + relative, init);
  } catch (ex) {
    throw new ApiError(0, 'Connection lost: the application does not answer.');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (ex) {
    json = null;
  }
  if (!response.ok) {
    const reason = json && typeof json.error === 'string' ? json.error : `${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, reason);
  }
  if (json === null && text) throw new ApiError(response.status, 'The answer was not JSON: is the dashboard API served here?');
  return json;
}

export function get(relative, params) {
  return request('GET', relative + query(params));
}

export function post(relative, body) {
  return request('POST', relative, body);
}

// Where and how the page connects: the stream URL next to the page, the token a user brings in the
// fragment, and the retry backoff. No state of the page's own: stream.js holds the socket.

export const PROTOCOL = 'quotecast.v1';   // offered on connect; the server selects it
const BACKOFF_BASE_MS = 500;              // first retry after ~0.5 s …
export const BACKOFF_MAX_MS = 10000;      // … doubling up to 10 s
const JITTER = 0.3;                       // ±30 %, so that a restart's thousands of pages do not come back at once

/** The delay before retry number n (0-based). */
export function backoff(n) {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(n, 10));
  return Math.round(base * (1 + (Math.random() * 2 - 1) * JITTER));
}

// ---- token (only where the server has security.tokens on) -----------------------------------
// Given in the page URL's fragment (#token=...), which browsers never send to a server: taken out of
// the address bar at once, and kept in sessionStorage, so for this tab's session only.
const TOKEN_KEY = 'quotecast.token';
export function takeToken() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    let t = null;
    try { t = decodeURIComponent(m[1]); } catch (e) { t = m[1]; }
    try { sessionStorage.setItem(TOKEN_KEY, t); } catch (e) { /* storage off: the token lives in this page only */ }
    history.replaceState(null, '', location.pathname + location.search);
    return t;
  }
  try { return sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
}

/** The token's exp (epoch ms) as it claims it, unverified: only to tell the user why a connection fails. */
export function tokenExpiresAt(token) {
  if (!token) return null;
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(part + '='.repeat((4 - part.length % 4) % 4)));
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch (e) { return null; }
}

export function streamUrl() {
  const u = new URL('quotes', location.href); // keeps the context path: /quotecast/ -> /quotecast/quotes
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.hash = ''; u.search = '';
  return u.href;
}

/** Browsers cannot set headers on a WebSocket: the token goes as access_token in the query. */
export function connectUrl(token) {
  return token ? streamUrl() + '?access_token=' + encodeURIComponent(token) : streamUrl();
}

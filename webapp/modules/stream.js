// The stream: one WebSocket at a time, opened again with backoff after every close but a final one
// (close-codes.js: a refused token), and the top bar that says how it stands: live (the time of the
// last tick, or stale), reconnecting (the next retry, a Retry button), offline (after 30 s without a
// connection, no network, or a refusal the page explains in a notice above the table).

import { CLOSE, closeVerdict } from './close-codes.js';
import { isNum, timeFmt } from './format.js';
import { BACKOFF_MAX_MS, PROTOCOL, backoff, connectUrl, tokenExpiresAt } from './connection.js';

const OFFLINE_AFTER_MS = 30000; // "reconnecting" turns into "offline" after this long without a connection
const STATE_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' };
const NO_TOKEN_TEXT = 'The server refused the stream or cannot be reached. If it requires a token, open this page '
  + 'with #token=<your token> at the end of its address.';
const EXPIRED_TEXT = 'Your token has expired: open this page with a fresh #token=<your token> at the end of its address.';

/**
 * `token`: the user's, or null; `stats`: the page's counters (connects, closes, lastClose are counted
 * here); `bar`: the top bar's elements {status, text, detail, retry}; `notice`: the sentence above the
 * table; `staleCount()`: rows at a stale price. `opened()` is called on every open, `message(data, id)`
 * for every frame (id numbers the connection), `closed()` on every close. start() connects.
 */
export function createStream({ token, stats, bar, notice, staleCount, opened, message, closed }) {
  let ws = null;
  let connId = 0;
  let connState = 'connecting';
  let attempt = 0;
  let retryTimer = null, nextRetryAt = 0;
  let downSince = null;
  let lastTickAt = null;          // Date.now() when the last quote arrived
  let lastTickTs = null;          // the quote's own ts
  let fatal = null;               // why the page no longer reconnects by itself (a refused token)
  let everLive = false;           // this page has had a stream open at least once

  /** A sentence above the table, and its code for tests; null hides it. */
  function showNotice(code, text) {
    if (code == null) { notice.hidden = true; delete notice.dataset.code; return; }
    notice.textContent = text;
    notice.dataset.code = code;
    notice.hidden = false;
  }

  /** Why a connection that never opened failed, as far as the page can tell (a browser is not told the HTTP status). */
  function explainRefusal() {
    const exp = tokenExpiresAt(token);
    if (exp != null && exp <= Date.now()) {
      fatal = 'Token expired';
      showNotice('token_expired', EXPIRED_TEXT);
      setState('offline');
      return true;
    }
    if (!everLive) {
      showNotice(token ? 'token_refused' : 'no_token', token
        ? 'The server refused the stream or cannot be reached; if it refused your token, open this page with a fresh #token=<your token>.'
        : NO_TOKEN_TEXT);
    }
    return false;
  }

  function send(obj) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(obj)); return true; }
    return false;
  }

  function connect() {
    clearTimeout(retryTimer); retryTimer = null;
    if (ws) return;
    let sock;
    let wasOpen = false;
    try { sock = new WebSocket(connectUrl(token), PROTOCOL); } catch (e) {
      console.warn('Quotecast: cannot open stream', e && e.message); scheduleReconnect(); return;
    }
    ws = sock;
    const id = ++connId;
    stats.connects++;
    sock.onopen = () => {
      if (ws !== sock) return;
      downSince = null; fatal = null; wasOpen = true;
      if (!everLive) showNotice(null);
      everLive = true;
      setState('live');
      opened();
    };
    sock.onmessage = (ev) => {
      if (ws !== sock) return;
      attempt = 0; // a server that talks to us resets the backoff
      message(ev.data, id);
    };
    sock.onerror = () => { /* a close event always follows; the browser already logs the reason */ };
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      closed();
      stats.closes++; stats.lastClose = { code: ev.code, reason: ev.reason, at: Date.now() };
      if (downSince == null) downSince = Date.now();
      const verdict = closeVerdict(ev.code, ev.reason);
      if (verdict === 'final') { // a refused token: retrying cannot help until the user brings another
        fatal = 'Refused by server: ' + ev.reason;
        console.warn(`Quotecast: stream closed (${ev.code})`, ev.reason);
        if (ev.reason === 'token expired') showNotice('token_expired', EXPIRED_TEXT);
        else if (ev.reason === 'no token') showNotice('no_token', NO_TOKEN_TEXT);
        else showNotice('refused', 'The server refused the stream: ' + ev.reason + '.');
        setState('offline');
        return;
      }
      if (ev.code === CLOSE.POLICY) console.info('Quotecast: closed by the server (1008), reconnecting:', ev.reason);
      if (!wasOpen && explainRefusal()) return;
      scheduleReconnect(verdict === 'later' ? BACKOFF_MAX_MS / 2 : 0);
    };
  }

  function scheduleReconnect(minDelay) {
    clearTimeout(retryTimer);
    if (navigator.onLine === false) { setState('offline'); retryTimer = null; return; } // 'online' event reconnects
    const delay = Math.max(minDelay || 0, backoff(attempt++));
    nextRetryAt = Date.now() + delay;
    retryTimer = setTimeout(connect, delay);
    setState(downSince != null && Date.now() - downSince > OFFLINE_AFTER_MS ? 'offline' : 'reconnecting');
  }

  function reconnectNow() {
    attempt = 0; fatal = null;
    if (ws) { try { ws.close(1000, 'reconnect'); } catch (e) { /* ignore */ } ws = null; }
    if (downSince == null) downSince = Date.now();
    setState('reconnecting');
    connect();
  }

  // ---- the top bar ------------------------------------------------------------------------------
  function setState(s) {
    const changed = s !== connState;
    connState = s;
    bar.status.dataset.state = s;
    bar.retry.hidden = s === 'live' || s === 'connecting';
    if (changed) {
      // this text is the polite live region: it only changes on state changes, not every second
      // (the extra sentence is for screen readers only; sighted users see it in the detail next to it)
      let extra = '';
      if (s !== 'live' && lastTickAt) extra += ` Last tick at ${timeFmt.format(lastTickAt)}.`;
      if (s === 'offline' && fatal) extra += ' ' + fatal + '.';
      const sr = document.createElement('span');
      sr.className = 'sr-only'; sr.textContent = extra;
      bar.text.replaceChildren(STATE_TEXT[s], sr);
      document.title = s === 'live' ? 'Quotecast' : `Quotecast (${STATE_TEXT[s].replace('…', '')})`;
    }
    updateDetail();
  }

  function updateDetail() {
    const now = Date.now();
    const stale = staleCount();
    let d = '';
    if (connState === 'live' && stale > 0) {
      d = `Stale: the server has lost its feed (${stale} symbols at their last price)`;
      bar.status.classList.add('stale');
    } else if (connState === 'live') {
      d = lastTickAt ? 'Last tick ' + timeFmt.format(lastTickAt) : 'Waiting for ticks';
      bar.status.classList.toggle('stale', !!lastTickAt && now - lastTickAt > 15000);
    } else {
      if (connState === 'offline' && fatal) d = fatal;
      else if (connState === 'offline' && navigator.onLine === false) d = 'No network';
      else if (retryTimer) d = `Retry in ${Math.max(1, Math.ceil((nextRetryAt - now) / 1000))} s`;
      if (lastTickAt) d += (d ? ' · ' : '') + 'last tick ' + timeFmt.format(lastTickAt);
      bar.status.classList.remove('stale');
    }
    if (bar.detail.textContent !== d) bar.detail.textContent = d;
    if (lastTickAt) bar.status.dataset.lastTick = lastTickAt;
    if (connState === 'reconnecting' && downSince != null && now - downSince > OFFLINE_AFTER_MS) setState('offline');
  }

  bar.retry.addEventListener('click', reconnectNow);
  window.addEventListener('online', () => { if (!ws) reconnectNow(); });
  window.addEventListener('offline', () => { if (!ws) setState('offline'); });
  window.addEventListener('pagehide', (e) => { if (e.persisted && ws) { const s = ws; ws = null; s.close(1000, 'page hidden'); } });
  window.addEventListener('pageshow', (e) => { if (e.persisted && !ws) reconnectNow(); });

  return {
    start() { setInterval(updateDetail, 1000); setState('connecting'); connect(); },
    send,
    reconnectNow,
    showNotice,
    /** A quote arrived (its own ts): the top bar's last tick. */
    tick(ts) {
      const first = lastTickAt === null;
      lastTickAt = Date.now(); lastTickTs = isNum(ts) ? ts : lastTickAt;
      if (first) updateDetail();
    },
    /** Something the top bar shows changed (the number of stale rows). */
    refresh: updateDetail,
    get state() { return connState; },
    get lastTickAt() { return lastTickAt; },
    get lastTickTs() { return lastTickTs; },
    get protocol() { return ws && ws.readyState === WebSocket.OPEN ? ws.protocol : null; },
    get attempt() { return attempt; },
  };
}

// Quotecast dashboard: the page's wiring (connection, table, frame loop), native ES modules, no build
// step. Protocol: quotecast.v1 (see docs/protocol.md).
import { CLOSE, closeVerdict } from './modules/close-codes.js';
import { isNum, timeFmt } from './modules/format.js';
import { KEYS as LS, store } from './modules/prefs.js';
import { createChart } from './modules/chart.js';
import { createHistoryRequests } from './modules/history.js';
import { installKeyboard } from './modules/keyboard.js';
import { symbolFromHash } from './modules/route.js';
import { SPARK_POINTS, emptySpark, fromBars } from './modules/sparkline.js';
import { createRows } from './modules/rows.js';
import { createOrdering } from './modules/ordering.js';
import { createFrameLoop } from './modules/frame-loop.js';
import { BACKOFF_MAX_MS, PROTOCOL, backoff, connectUrl, streamUrl, takeToken, tokenExpiresAt } from './modules/connection.js';
{

  // ---- tunables -------------------------------------------------------------------------
  const OFFLINE_AFTER_MS = 30000;     // "reconnecting" turns into "offline" after this long without a connection
  const HISTORY_RETRY_MS = 2000;      // history requests refused with rate_limited are sent again after this
  const MAX_SINCE_CHARS = 16000;      // don't send a resume map bigger than this (frame size limits)

  // ---- DOM --------------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  const el = {
    status: $('status'), statusText: $('status-text'), statusDetail: $('status-detail'), retry: $('retry'),
    filter: $('filter'), watchOnly: $('watch-only'), count: $('count'),
    table: $('quotes'), tbody: $('rows'), empty: $('empty'), wrap: $('table-wrap'),
    rowTemplate: $('row-template'),
  };

  // ---- model, table and frame loop -------------------------------------------------------------
  /** symbol -> row record (rows.js), shared by the table, the ordering and the protocol below */
  const rows = new Map();
  const stats = {
    messages: 0, quotes: 0, duplicates: 0, gaps: 0, skippedSeq: 0, resumed: 0, errors: 0, historyRows: 0, historyReplies: 0,
    frames: 0, rowRenders: 0, sparkDraws: 0, renderMsMax: 0, renderMsTotal: 0,
    connects: 0, closes: 0, lastClose: null, lastError: null,
  };
  const loop = createFrameLoop({ stats });
  const scheduleFrame = loop.schedule;

  // ---- protocol ---------------------------------------------------------------------------------
  let ws = null;
  let connId = 0;
  let connState = 'connecting';
  let attempt = 0;
  let retryTimer = null, nextRetryAt = 0;
  let downSince = null;
  let lastTickAt = null;          // Date.now() when the last quote arrived
  let lastTickTs = null;          // the quote's own ts
  let hello = null;
  let fatal = null;               // close reason that disables auto-reconnect (1008)
  let everLive = false;           // this page has had a stream open at least once
  const token = takeToken();

  /** A sentence above the table, and its code for tests; null hides it. */
  function showNotice(code, text) {
    const notice = document.getElementById('notice');
    if (code == null) { notice.hidden = true; delete notice.dataset.code; return; }
    notice.textContent = text;
    notice.dataset.code = code;
    notice.hidden = false;
  }

  const NO_TOKEN_TEXT = 'The server refused the stream or cannot be reached. If it requires a token, open this page '
    + 'with #token=<your token> at the end of its address.';
  const EXPIRED_TEXT = 'Your token has expired: open this page with a fresh #token=<your token> at the end of its address.';

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

  function subscribe() {
    const since = {};
    let any = false;
    for (const r of rows.values()) if (r.lastSeq > 0) { since[r.symbol] = r.lastSeq; any = true; }
    const msg = { action: 'subscribe', symbols: ['*'] };
    if (any && JSON.stringify(since).length <= MAX_SINCE_CHARS) msg.since = since;
    send(msg);
  }

  function connect() {
    clearTimeout(retryTimer); retryTimer = null;
    if (ws) return;
    let sock;
    let opened = false;
    try { sock = new WebSocket(connectUrl(token), PROTOCOL); } catch (e) {
      console.warn('Quotecast: cannot open stream', e && e.message); scheduleReconnect(); return;
    }
    ws = sock;
    const id = ++connId;
    stats.connects++;
    sock.onopen = () => {
      if (ws !== sock) return;
      downSince = null; fatal = null; opened = true;
      if (!everLive) showNotice(null);
      everLive = true;
      setState('live');
      subscribe();
      send({ action: 'list' });
      historyRequests.opened();
      resendHistory(); // requests of a connection that closed before answering them
      chart.onReconnect();
    };
    sock.onmessage = (ev) => {
      if (ws !== sock) return;
      attempt = 0; // a server that talks to us resets the backoff
      handle(ev.data, id);
    };
    sock.onerror = () => { /* a close event always follows; the browser already logs the reason */ };
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      historyRequests.closed();
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
      if (!opened && explainRefusal()) return;
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

  function handle(data, id) {
    stats.messages++;
    let m;
    try { m = JSON.parse(data); } catch (e) { console.warn('Quotecast: ignoring a non-JSON frame'); return; }
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'quote': onQuote(m, id); break;
      case 'symbols': onSymbols(m.symbols); break;
      case 'bars': historyRequests.answer(m, null); break;
      case 'error': onError(m); break;
      case 'hello': hello = m; break;
      case 'subscribed': case 'unsubscribed': break;
      default: console.info('Quotecast: ignoring message type', m.type); // forward compatible
    }
  }

  function onQuote(q, id) {
    if (typeof q.symbol !== 'string' || !isNum(q.price)) return;
    const r = table.row(q.symbol.toUpperCase());
    if (isNum(q.seq)) {
      // First quote per symbol on a new connection is always taken (snapshot, resumed tick, or a restarted feed).
      if (r.connId === id && !q.snapshot && q.seq <= r.lastSeq) { stats.duplicates++; return; }
      if (!q.snapshot && q.seq > r.lastSeq + 1 && r.lastSeq > 0) {
        stats.skippedSeq += q.seq - r.lastSeq - 1;
        if (r.symbol === chart.symbol) chart.repair(); // the server conflated for us: its bars know what we missed
      }
      if (r.connId !== id && r.connId >= 0 && !q.snapshot && q.seq === r.lastSeq + 1) stats.resumed++; // `since` replay
      r.lastSeq = q.seq;
    }
    r.connId = id;
    if (q.gap) {
      // the server could not resume this symbol (ticks rolled out, or a restarted feed): start its chart afresh
      stats.gaps++;
      table.setSpark(r, emptySpark());
      requestHistory([r.symbol], true);
    }
    // a stale snapshot (docs/protocol.md) marks its row; the top bar counts such rows
    if (table.quote(r, q)) updateDetail();
    ordering.valuesChanged();
    chart.onQuote(q);
    const first = lastTickAt === null;
    lastTickAt = Date.now(); lastTickTs = isNum(q.ts) ? q.ts : lastTickAt;
    stats.quotes++;
    if (first) updateDetail();
  }

  function onSymbols(list) {
    if (!Array.isArray(list)) return;
    const fresh = [];
    for (const s of list) {
      if (!s || typeof s.symbol !== 'string') continue;
      const r = table.row(s.symbol.toUpperCase());
      table.name(r, typeof s.name === 'string' ? s.name : '', typeof s.currency === 'string' ? s.currency : '');
      if (!historyAsked.has(r.symbol)) fresh.push(r.symbol);
    }
    ordering.rowsChanged(); // names take part in the filter
    requestHistory(fresh);
  }

  // history: one request per symbol as soon as the symbol list is known; its 1 s bars seed the sparkline,
  // live quotes extend it. Requests not answered when a connection closes are sent again on the next one.
  let historyMode = 'unknown'; // unknown | yes (bars received) | no (server does not answer history)
  const historyAsked = new Set();   // symbols ever asked (a gap asks again)
  const historyPending = new Set(); // asked, no answer yet
  let historyRetry = null;

  const historyRequests = createHistoryRequests(send);
  function sendHistory(sym) {
    // asked when a token is free, unless answered meanwhile
    historyRequests.enqueue(sym, () => (historyPending.has(sym) ? { symbol: sym, interval: '1s', limit: SPARK_POINTS, consumer: sparkAnswer } : null));
  }
  function requestHistory(symbols, again) {
    if (historyMode === 'no') return;
    for (const s of symbols) {
      if (historyAsked.has(s) && !again) continue;
      historyAsked.add(s); historyPending.add(s);
      sendHistory(s); // not open: resendHistory() sends it on the next connection
    }
  }
  function resendHistory() {
    clearTimeout(historyRetry); historyRetry = null;
    if (historyMode !== 'no') for (const s of historyPending) sendHistory(s);
  }

  function sparkAnswer(m, error) {
    if (error) { sparkError(error); return; }
    historyMode = 'yes';
    if (typeof m.symbol !== 'string' || !Array.isArray(m.bars)) return;
    const r = rows.get(m.symbol.toUpperCase());
    if (!r || !historyPending.delete(r.symbol)) return;
    stats.historyReplies++; // answered, with bars or (a server just started) none yet
    const spark = fromBars(m.bars, r.spark);
    if (!spark) return;
    stats.historyRows++;
    table.setSpark(r, spark);
  }

  function onError(m) {
    stats.errors++; stats.lastError = m;
    if (m.action === 'history') { historyRequests.answer(null, m); return; }
    report(m);
  }

  function sparkError(m) {
    if (m.code === 'rate_limited') { if (!historyRetry) historyRetry = setTimeout(resendHistory, HISTORY_RETRY_MS); return; }
    if (m.code === 'unknown_action' || (m.code === 'bad_request' && historyMode !== 'yes')) {
      historyMode = 'no'; historyPending.clear();
      console.info(`Quotecast: history not available (${m.code}); sparklines are built from live quotes.`);
      return;
    }
    report(m);
  }

  function report(m) {
    console.warn(`Quotecast: server error ${m.code}${m.action ? ' (' + m.action + ')' : ''}: ${m.message || ''}`);
    if (m.action === 'subscribe' || m.code === 'forbidden') {
      // The screen would stay empty without a word: say why, in the server's own terms.
      showNotice(m.code, `The server refused part of the ${m.action === 'history' ? 'history' : 'subscription'} (${m.code}): ${m.message || ''}`);
    }
  }

  // ---- connection status ---------------------------------------------------------------------
  const STATE_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' };
  function setState(s) {
    const changed = s !== connState;
    connState = s;
    el.status.dataset.state = s;
    el.retry.hidden = s === 'live' || s === 'connecting';
    if (changed) {
      // this text is the polite live region: it only changes on state changes, not every second
      // (the extra sentence is for screen readers only; sighted users see it in the detail next to it)
      let extra = '';
      if (s !== 'live' && lastTickAt) extra += ` Last tick at ${timeFmt.format(lastTickAt)}.`;
      if (s === 'offline' && fatal) extra += ' ' + fatal + '.';
      const sr = document.createElement('span');
      sr.className = 'sr-only'; sr.textContent = extra;
      el.statusText.replaceChildren(STATE_TEXT[s], sr);
      document.title = s === 'live' ? 'Quotecast' : `Quotecast (${STATE_TEXT[s].replace('…', '')})`;
    }
    updateDetail();
  }

  function updateDetail() {
    const now = Date.now();
    let d = '';
    if (connState === 'live' && table.staleCount > 0) {
      d = `Stale: the server has lost its feed (${table.staleCount} symbols at their last price)`;
      el.status.classList.add('stale');
    } else if (connState === 'live') {
      d = lastTickAt ? 'Last tick ' + timeFmt.format(lastTickAt) : 'Waiting for ticks';
      el.status.classList.toggle('stale', !!lastTickAt && now - lastTickAt > 15000);
    } else {
      if (connState === 'offline' && fatal) d = fatal;
      else if (connState === 'offline' && navigator.onLine === false) d = 'No network';
      else if (retryTimer) d = `Retry in ${Math.max(1, Math.ceil((nextRetryAt - now) / 1000))} s`;
      if (lastTickAt) d += (d ? ' · ' : '') + 'last tick ' + timeFmt.format(lastTickAt);
      el.status.classList.remove('stale');
    }
    if (el.statusDetail.textContent !== d) el.statusDetail.textContent = d;
    if (lastTickAt) el.status.dataset.lastTick = lastTickAt;
    if (connState === 'reconnecting' && downSince != null && now - downSince > OFFLINE_AFTER_MS) setState('offline');
  }
  setInterval(updateDetail, 1000);

  // ---- the chart ----------------------------------------------------------------------------------
  const chart = createChart({
    ask: (symbol, interval, limit, consumer) => historyRequests.now(symbol, interval, limit, consumer),
    quoteOf: (sym) => { const r = rows.get(sym); return r ? r.q : null; },
    nameOf: (sym) => { const r = rows.get(sym); return r ? r.name : ''; },
    scheduleFrame,
  });

  // The fragment is the truth: opening sets it (a history entry, so Back closes), and every change
  // of it, the page's own, a link's, Back or Forward, opens or closes the view to match.
  let chartPushed = false;  // this page added the fragment's history entry: closing goes back over it
  let chartFrom = null;     // the row that opened the chart gets the focus back
  function openChart(sym, fromRow) {
    chartFrom = fromRow || null;
    if (symbolFromHash(location.hash) === sym) { syncChart(); return; }
    if (chart.symbol) { // one chart entry over the table's: Back (or Escape) returns to the table, not to the previous chart
      history.replaceState(null, '', '#' + encodeURIComponent(sym));
      syncChart();
      return;
    }
    chartPushed = true;
    location.hash = encodeURIComponent(sym);
  }
  function closeChart() {
    if (!chart.symbol) return;
    if (chartPushed) { chartPushed = false; history.back(); return; } // hashchange closes the view
    history.replaceState(null, '', location.pathname + location.search);
    syncChart();
  }
  function syncChart() {
    const sym = symbolFromHash(location.hash);
    if (sym) {
      const was = chart.symbol;
      chart.open(sym);
      // a user's click or Enter takes the focus into the view; a link or a reload leaves it where it is
      if (was !== sym && chartFrom) document.getElementById('chart').focus({ preventScroll: true });
    } else if (chart.symbol) {
      const back = chartFrom || (rows.get(chart.symbol) || {}).tr;
      chart.close();
      chartPushed = false;
      if (back && document.contains(back) && !back.hidden) focusRow(back);
      chartFrom = null;
    }
  }
  window.addEventListener('hashchange', () => { if (!symbolFromHash(location.hash)) chartPushed = false; syncChart(); });
  document.getElementById('chart').addEventListener('chart-close-request', closeChart);

  const { focusRow, ensureTabStop } = installKeyboard({
    tbody: el.tbody, filter: el.filter, watchOnly: el.watchOnly,
    open: openChart, close: closeChart, chartOpen: () => chart.symbol !== null,
  });

  // ---- the table: which rows in what order (ordering.js), each row (rows.js), drawn in the frame loop
  const ordering = createOrdering({
    rows, tbody: el.tbody, table: el.table, filter: el.filter, watchOnly: el.watchOnly, count: el.count, empty: el.empty,
    store, keys: LS, schedule: scheduleFrame, ensureTabStop,
    onShow: (r) => table.shown(r), onWatch: (r, on) => table.setWatched(r, on),
  });
  const table = createRows({
    rows, template: el.rowTemplate, stats, schedule: scheduleFrame, isWatched: ordering.isWatched, added: ordering.rowsChanged,
  });
  loop.add(ordering.frame); // first: a row shown again is drawn in the same frame
  loop.add(table.frame);
  loop.add(chart.frame);

  // ---- UI events ------------------------------------------------------------------------------
  el.tbody.addEventListener('click', (e) => {
    const btn = e.target.closest('button.star');
    if (!btn) {
      const tr = e.target.closest('tr[data-symbol]');
      if (tr) openChart(tr.dataset.symbol, tr);
      return;
    }
    if (rows.has(btn.dataset.symbol)) ordering.toggleWatch(btn.dataset.symbol);
  });

  // watch list edited in another tab
  window.addEventListener('storage', (e) => { if (e.key === LS.watch) ordering.reloadWatch(); });

  el.retry.addEventListener('click', reconnectNow);
  window.addEventListener('online', () => { if (!ws) reconnectNow(); });
  window.addEventListener('offline', () => { if (!ws) setState('offline'); });
  window.addEventListener('pagehide', (e) => { if (e.persisted && ws) { const s = ws; ws = null; s.close(1000, 'page hidden'); } });
  window.addEventListener('pageshow', (e) => { if (e.persisted && !ws) reconnectNow(); });

  const schemeQuery = window.matchMedia('(prefers-color-scheme: dark)');
  const recolor = () => { table.recolor(); chart.recolor(); };
  if (schemeQuery.addEventListener) schemeQuery.addEventListener('change', recolor);
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(table.resized, 100);
  });

  // ---- test hook ---------------------------------------------------------------------------------
  function rowSnapshot(r) {
    const q = r.q || {};
    return {
      symbol: r.symbol, name: r.name, price: q.price ?? null, change: q.change ?? null, changePercent: q.changePercent ?? null,
      bid: q.bid ?? null, ask: q.ask ?? null, high: q.high ?? null, low: q.low ?? null, volume: q.volume ?? null,
      seq: r.lastSeq || null, watched: ordering.isWatched(r.symbol), visible: r.visible, sparkPoints: r.spark.points.length, sparkDrawn: r.sparkDrawnAt > 0,
    };
  }
  window.quotecast = Object.freeze({
    version: 1,
    get state() { return connState; },
    get lastTickAt() { return lastTickAt; },
    get lastTickTs() { return lastTickTs; },
    get streamUrl() { return streamUrl(); },
    get protocol() { return ws && ws.readyState === WebSocket.OPEN ? ws.protocol : null; },
    get hello() { return hello; },
    get user() { return hello ? hello.user ?? null : null; },
    get hasToken() { return !!token; },
    get historyMode() { return historyMode; },
    get rows() { const o = {}; for (const r of rows.values()) o[r.symbol] = rowSnapshot(r); return o; },
    get order() { return [...el.tbody.children].filter((tr) => !tr.hidden).map((tr) => tr.dataset.symbol); },
    get stats() { return { ...stats, attempt, sortPaused: ordering.paused }; },
    get watchList() { return ordering.watchList; },
    get chart() { return chart.snapshot(); },
    reconnectNow,
  });

  // ---- start ----------------------------------------------------------------------------------
  syncChart(); // a link or a reload with #SYMBOL opens its chart
  setState('connecting');
  connect();
}

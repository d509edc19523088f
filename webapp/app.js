// Quotecast dashboard: the page's wiring (connection, table, frame loop), native ES modules, no build
// step. Protocol: quotecast.v1 (see docs/protocol.md).
import { CLOSE, closeVerdict } from './modules/close-codes.js';
import { DASH, decimalsOf, fPct, fPrice, fSigned, fVol, isNum, timeFmt } from './modules/format.js';
import { KEYS as LS, store } from './modules/prefs.js';
import { createChart } from './modules/chart.js';
import { createHistoryRequests } from './modules/history.js';
import { installKeyboard } from './modules/keyboard.js';
import { symbolFromHash } from './modules/route.js';
import { SPARK_POINTS, drawSpark as paintSpark, emptySpark, fromBars, pushPrice } from './modules/sparkline.js';
import { BACKOFF_MAX_MS, PROTOCOL, backoff, connectUrl, streamUrl, takeToken, tokenExpiresAt } from './modules/connection.js';
{

  // ---- tunables -------------------------------------------------------------------------
  const OFFLINE_AFTER_MS = 30000;     // "reconnecting" turns into "offline" after this long without a connection
  const SPARK_MIN_REDRAW_MS = 250;    // per-row sparkline redraw throttle
  const FLASH_MIN_INTERVAL_MS = 700;  // per-row: restart the tick flash at most this often
  const ROW_MIN_RENDER_MS = 100;      // per-row conflation: at most ~10 visual updates/s per row (the model is always current)
  const RESORT_MIN_INTERVAL_MS = 1000;// live re-sort (price / change %) at most once a second
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

  const storedWatch = store.get(LS.watch, []);
  const watch = new Set(Array.isArray(storedWatch) ? storedWatch.filter((s) => typeof s === 'string').map((s) => s.toUpperCase()) : []);
  let watchOnly = store.get(LS.watchOnly, false) === true;
  const SORT_KEYS = { symbol: 'asc', price: 'desc', changePercent: 'desc' }; // key -> default direction
  let sort = store.get(LS.sort, null);
  if (!sort || !(sort.key in SORT_KEYS) || (sort.dir !== 'asc' && sort.dir !== 'desc')) sort = { key: 'symbol', dir: 'asc' };

  // ---- model --------------------------------------------------------------------------------
  /** symbol -> row record (data + its DOM nodes) */
  const rows = new Map();
  const dirty = new Set();         // rows whose quote changed since the last frame
  const sparkPending = new Set();  // rows whose sparkline must be redrawn (throttled)
  const storedFilter = store.get(LS.filter, '');
  let filterText = typeof storedFilter === 'string' ? storedFilter.trim().toUpperCase() : '';
  let orderDirty = true;           // row set or sort key changed: re-sort on next frame
  let valuesSinceSort = false;     // live values changed since the last sort (for price / change % sorts)
  let lastSortAt = 0;
  let sortPaused = false;          // pointer or focus inside the table body
  let resortTimer = null;
  let filterDirty = true;

  const staleRows = new Set(); // rows whose latest quote is a stale snapshot
  const stats = {
    messages: 0, quotes: 0, duplicates: 0, gaps: 0, skippedSeq: 0, resumed: 0, errors: 0, historyRows: 0, historyReplies: 0,
    frames: 0, rowRenders: 0, sparkDraws: 0, renderMsMax: 0, renderMsTotal: 0,
    connects: 0, closes: 0, lastClose: null, lastError: null,
  };

  // ---- rows -----------------------------------------------------------------------------------
  let dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  let SPARK_CSS_W = 72, SPARK_CSS_H = 18; // from CSS --spark-w / --spark-h (responsive)

  function getRow(symbol) {
    let r = rows.get(symbol);
    if (r) return r;
    const tr = el.rowTemplate.content.firstElementChild.cloneNode(true);
    const cell = (cls) => tr.querySelector('.' + cls);
    const text = (cls) => { const c = cell(cls); c.textContent = DASH; return c.firstChild; };
    tr.dataset.symbol = symbol;
    tr.tabIndex = -1; // one row at a time is the table's tab stop (see focusRow)
    const star = tr.querySelector('.star');
    star.setAttribute('aria-label', 'Watch ' + symbol);
    star.dataset.symbol = symbol;
    cell('c-sym').textContent = symbol;
    const canvas = tr.querySelector('canvas');
    canvas.width = Math.round(SPARK_CSS_W * dpr); canvas.height = Math.round(SPARK_CSS_H * dpr);
    r = {
      symbol, name: '', currency: '', q: null, lastSeq: 0, connId: -1, dec: 2,
      renderedAt: -1e9, flashAt: 0, flashPrice: null, flip: false, sign: '',
      spark: emptySpark(), sparkDrawnAt: 0,
      visible: true, needsRender: false,
      tr, star, canvas, ctx: canvas.getContext('2d'),
      nameCell: cell('c-name'), lastCell: cell('c-last'),
      t: { // Text nodes, updated via .data (cheapest DOM text write)
        last: text('c-last'), chg: text('c-chg'), pct: text('c-pct'), bid: text('c-bid'), ask: text('c-ask'),
        low: text('c-low'), high: text('c-high'), vol: text('c-vol'),
      },
      shown: {},
    };
    setWatched(r, watch.has(symbol));
    rows.set(symbol, r);
    orderDirty = true; filterDirty = true;
    scheduleFrame();
    return r;
  }

  function setWatched(r, on) {
    r.star.setAttribute('aria-pressed', on ? 'true' : 'false');
    r.tr.classList.toggle('watched', on);
  }

  function setCell(r, key, str) {
    if (r.shown[key] !== str) { r.shown[key] = str; r.t[key].data = str; }
  }

  function renderRow(r, now) {
    const q = r.q;
    if (r.nameCell.textContent !== r.name) { r.nameCell.textContent = r.name; r.nameCell.title = r.name; }
    if (!q) return;
    stats.rowRenders++;
    const dec = r.dec;
    setCell(r, 'last', fPrice(q.price, dec));
    setCell(r, 'chg', fSigned(q.change, dec));
    setCell(r, 'pct', fPct(q.changePercent));
    setCell(r, 'bid', fPrice(q.bid, dec));
    setCell(r, 'ask', fPrice(q.ask, dec));
    setCell(r, 'low', fPrice(q.low, dec));
    setCell(r, 'high', fPrice(q.high, dec));
    setCell(r, 'vol', fVol(q.volume));

    // tick flash: compare with the price at the last flash, restart at most every FLASH_MIN_INTERVAL_MS
    if (r.flashPrice === null) r.flashPrice = q.price;
    else if (q.price !== r.flashPrice && now - r.flashAt >= FLASH_MIN_INTERVAL_MS) {
      const dir = q.price > r.flashPrice ? 'up' : 'down';
      r.flip = !r.flip; // alternate between two identical animations so the flash restarts without a reflow
      r.lastCell.className = 'c-last num flash-' + dir + (r.flip ? '1' : '2');
      r.tr.dataset.dir = dir;
      r.flashAt = now; r.flashPrice = q.price;
    }
    const sign = q.change > 0 ? 'pos' : q.change < 0 ? 'neg' : '';
    if (sign !== r.sign) {
      if (r.sign) r.tr.classList.remove(r.sign);
      if (sign) r.tr.classList.add(sign);
      r.sign = sign;
    }
    if (r.tr.classList.contains('stale') !== !!q.stale) {
      r.tr.classList.toggle('stale', !!q.stale);
      r.tr.title = q.stale ? 'Stale: the server has lost its feed; this is the last price it had' : '';
    }
    // test hooks (no CSS depends on these attributes, so they do not invalidate style)
    r.tr.dataset.price = q.price;
    r.tr.dataset.changePercent = q.changePercent;
    r.tr.dataset.seq = q.seq;
  }

  // ---- sparkline ------------------------------------------------------------------------------
  function pushSpark(r, price, ts) {
    pushPrice(r.spark, price, ts);
    sparkPending.add(r);
  }

  let colors = null;
  function readColors() {
    const cs = getComputedStyle(document.documentElement);
    const v = (n) => cs.getPropertyValue(n).trim();
    colors = { up: v('--spark-up'), down: v('--spark-down'), flat: v('--spark-flat'), upFill: v('--spark-up-fill'), downFill: v('--spark-down-fill') };
    SPARK_CSS_W = parseFloat(v('--spark-w')) || 72;
    SPARK_CSS_H = parseFloat(v('--spark-h')) || 18;
  }

  /** (re)size every sparkline backing store to CSS size x devicePixelRatio, then redraw */
  function resizeSparks() {
    const w = Math.round(SPARK_CSS_W * dpr), h = Math.round(SPARK_CSS_H * dpr);
    for (const r of rows.values()) {
      if (r.canvas.width !== w || r.canvas.height !== h) { r.canvas.width = w; r.canvas.height = h; }
      sparkPending.add(r);
    }
    scheduleFrame();
  }

  function drawSpark(r) {
    stats.sparkDraws++;
    paintSpark(r.ctx, r.canvas.width, r.canvas.height, r.spark.points, colors, dpr);
  }

  // ---- ordering / filtering -----------------------------------------------------------------
  function compare(a, b) {
    let d = 0;
    if (sort.key !== 'symbol') {
      const va = a.q ? a.q[sort.key] : undefined, vb = b.q ? b.q[sort.key] : undefined;
      const na = isNum(va), nb = isNum(vb);
      if (na && nb) d = sort.dir === 'asc' ? va - vb : vb - va;
      else if (na !== nb) return na ? -1 : 1; // rows without data always last
    }
    if (d === 0) d = a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
    if (sort.key === 'symbol' && sort.dir === 'desc') d = -d;
    return d;
  }

  function applyOrder(now) {
    const sorted = [...rows.values()].sort(compare);
    const tb = el.tbody;
    const move = typeof tb.moveBefore === 'function' ? tb.moveBefore : tb.insertBefore; // moveBefore keeps focus
    const active = document.activeElement;
    let node = tb.firstElementChild;
    for (const r of sorted) {
      if (r.tr === node) { node = node.nextElementSibling; continue; }
      if (r.tr.parentNode !== tb) tb.insertBefore(r.tr, node);
      else move.call(tb, r.tr, node);
    }
    if (active && active !== document.activeElement && document.contains(active)) active.focus({ preventScroll: true });
    lastSortAt = now; orderDirty = false; valuesSinceSort = false;
  }

  function matches(r) {
    if (watchOnly && !watch.has(r.symbol)) return false;
    if (!filterText) return true;
    return r.symbol.includes(filterText) || r.name.toUpperCase().includes(filterText);
  }

  function applyFilter() {
    let shown = 0;
    for (const r of rows.values()) {
      const v = matches(r);
      if (v !== r.visible) { r.visible = v; r.tr.hidden = !v; }
      if (v) {
        shown++;
        if (r.needsRender) { r.needsRender = false; dirty.add(r); }
      }
    }
    filterDirty = false;
    ensureTabStop();
    const total = rows.size;
    el.count.textContent = shown === total ? `${total} symbols` : `${shown} of ${total} symbols`;
    el.count.dataset.shown = shown; el.count.dataset.total = total;
    if (shown === 0 && total > 0) {
      el.empty.textContent = watchOnly && watch.size === 0
        ? 'Your watch list is empty. Star a symbol (★) to add it, or turn off “Watch list only”.'
        : `No symbols match “${el.filter.value.trim()}”${watchOnly ? ' in your watch list' : ''}.`;
      el.empty.hidden = false;
    } else if (total === 0) {
      el.empty.textContent = 'Waiting for symbols…'; el.empty.hidden = false;
    } else el.empty.hidden = true;
  }

  function updateSortHeaders() {
    for (const th of el.table.querySelectorAll('th[data-sort-key]')) {
      if (th.dataset.sortKey === sort.key) th.setAttribute('aria-sort', sort.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    el.table.dataset.sortKey = sort.key; el.table.dataset.sortDir = sort.dir;
  }

  // ---- frame loop: all DOM writes happen here, at most once per animation frame ---------------
  let framePending = false;
  function scheduleFrame() { if (!framePending) { framePending = true; requestAnimationFrame(frame); } }

  function frame(now) {
    framePending = false;
    const t0 = performance.now();
    stats.frames++;
    if (filterDirty) applyFilter();
    let rowsLeft = false;
    for (const r of dirty) {
      if (!r.visible) { r.needsRender = true; dirty.delete(r); }
      else if (now - r.renderedAt >= ROW_MIN_RENDER_MS || !r.shown.last) { renderRow(r, now); r.renderedAt = now; dirty.delete(r); }
      else rowsLeft = true; // rendered very recently: keep it for a later frame
    }
    let sparkLeft = false;
    for (const r of sparkPending) {
      if (!r.visible) continue; // drawn when it becomes visible again
      if (now - r.sparkDrawnAt >= SPARK_MIN_REDRAW_MS) { drawSpark(r); r.sparkDrawnAt = now; sparkPending.delete(r); }
      else sparkLeft = true;
    }
    const dynamic = sort.key !== 'symbol';
    if (orderDirty) applyOrder(now);
    else if (dynamic && valuesSinceSort && !sortPaused) {
      if (now - lastSortAt >= RESORT_MIN_INTERVAL_MS) applyOrder(now);
      else if (!resortTimer) resortTimer = setTimeout(() => { resortTimer = null; scheduleFrame(); }, RESORT_MIN_INTERVAL_MS - (now - lastSortAt) + 5);
    }
    const chartLeft = chart.frame(now);
    if (sparkLeft || rowsLeft || chartLeft) scheduleFrame();
    const dt = performance.now() - t0;
    stats.renderMsTotal += dt; if (dt > stats.renderMsMax) stats.renderMsMax = dt;
  }

  function markDirty(r) { dirty.add(r); if (sort.key !== 'symbol') valuesSinceSort = true; scheduleFrame(); }

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
    const r = getRow(q.symbol.toUpperCase());
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
      r.spark = emptySpark();
      requestHistory([r.symbol], true);
    }
    const d = decimalsOf(q.price);
    if (d > r.dec) r.dec = d;
    // A stale snapshot (docs/protocol.md): the server has lost its feed and this is the last price it had.
    // The row says so until a live quote replaces it; the top bar counts such rows.
    if (!!q.stale !== staleRows.has(r)) {
      if (q.stale) staleRows.add(r); else staleRows.delete(r);
      updateDetail();
    }
    r.q = q;
    pushSpark(r, q.price, q.ts);
    chart.onQuote(q);
    const first = lastTickAt === null;
    lastTickAt = Date.now(); lastTickTs = isNum(q.ts) ? q.ts : lastTickAt;
    stats.quotes++;
    markDirty(r);
    if (first) updateDetail();
  }

  function onSymbols(list) {
    if (!Array.isArray(list)) return;
    const fresh = [];
    for (const s of list) {
      if (!s || typeof s.symbol !== 'string') continue;
      const r = getRow(s.symbol.toUpperCase());
      r.name = typeof s.name === 'string' ? s.name : '';
      r.currency = typeof s.currency === 'string' ? s.currency : '';
      dirty.add(r);
      if (!historyAsked.has(r.symbol)) fresh.push(r.symbol);
    }
    filterDirty = true; // names take part in the filter
    scheduleFrame();
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
    r.spark = spark;
    stats.historyRows++;
    sparkPending.add(r);
    scheduleFrame();
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
    if (connState === 'live' && staleRows.size > 0) {
      d = `Stale: the server has lost its feed (${staleRows.size} symbols at their last price)`;
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

  // ---- UI events ------------------------------------------------------------------------------
  el.tbody.addEventListener('click', (e) => {
    const btn = e.target.closest('button.star');
    if (!btn) {
      const tr = e.target.closest('tr[data-symbol]');
      if (tr) openChart(tr.dataset.symbol, tr);
      return;
    }
    const r = rows.get(btn.dataset.symbol);
    if (!r) return;
    const on = !watch.has(r.symbol);
    if (on) watch.add(r.symbol); else watch.delete(r.symbol);
    store.set(LS.watch, [...watch].sort());
    setWatched(r, on);
    if (watchOnly) { filterDirty = true; scheduleFrame(); }
  });

  el.table.querySelector('thead').addEventListener('click', (e) => {
    const btn = e.target.closest('button.sort');
    if (!btn) return;
    const key = btn.dataset.sort;
    sort = key === sort.key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: SORT_KEYS[key] };
    store.set(LS.sort, sort);
    updateSortHeaders();
    orderDirty = true; scheduleFrame();
  });

  function setFilter(value) {
    filterText = value.trim().toUpperCase();
    store.set(LS.filter, value);
    filterDirty = true; scheduleFrame();
  }
  el.filter.value = typeof storedFilter === 'string' ? storedFilter : '';
  el.filter.addEventListener('input', () => setFilter(el.filter.value));
  el.filter.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && el.filter.value) { e.preventDefault(); el.filter.value = ''; setFilter(''); }
  });

  el.watchOnly.checked = watchOnly;
  el.watchOnly.addEventListener('change', () => {
    watchOnly = el.watchOnly.checked;
    store.set(LS.watchOnly, watchOnly);
    filterDirty = true; scheduleFrame();
  });

  // watch list edited in another tab
  window.addEventListener('storage', (e) => {
    if (e.key !== LS.watch) return;
    const list = store.get(LS.watch, []);
    watch.clear();
    if (Array.isArray(list)) list.forEach((s) => typeof s === 'string' && watch.add(s));
    for (const r of rows.values()) setWatched(r, watch.has(r.symbol));
    filterDirty = true; scheduleFrame();
  });

  // pause live re-sorting while the user points at or tabs through the rows (rows must not jump under the cursor)
  const updatePause = () => {
    const was = sortPaused;
    sortPaused = el.tbody.matches(':hover') || el.tbody.contains(document.activeElement);
    if (was && !sortPaused) scheduleFrame();
  };
  el.tbody.addEventListener('pointerenter', updatePause);
  el.tbody.addEventListener('pointerleave', () => setTimeout(updatePause, 0));
  el.tbody.addEventListener('focusin', updatePause);
  el.tbody.addEventListener('focusout', () => setTimeout(updatePause, 0));

  el.retry.addEventListener('click', reconnectNow);
  window.addEventListener('online', () => { if (!ws) reconnectNow(); });
  window.addEventListener('offline', () => { if (!ws) setState('offline'); });
  window.addEventListener('pagehide', (e) => { if (e.persisted && ws) { const s = ws; ws = null; s.close(1000, 'page hidden'); } });
  window.addEventListener('pageshow', (e) => { if (e.persisted && !ws) reconnectNow(); });

  const schemeQuery = window.matchMedia('(prefers-color-scheme: dark)');
  const recolor = () => { readColors(); chart.recolor(); for (const r of rows.values()) sparkPending.add(r); scheduleFrame(); };
  if (schemeQuery.addEventListener) schemeQuery.addEventListener('change', recolor);
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      const oldW = SPARK_CSS_W, oldH = SPARK_CSS_H, oldDpr = dpr;
      dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
      readColors();
      if (oldW !== SPARK_CSS_W || oldH !== SPARK_CSS_H || oldDpr !== dpr) resizeSparks();
    }, 100);
  });

  // ---- test hook ---------------------------------------------------------------------------------
  function rowSnapshot(r) {
    const q = r.q || {};
    return {
      symbol: r.symbol, name: r.name, price: q.price ?? null, change: q.change ?? null, changePercent: q.changePercent ?? null,
      bid: q.bid ?? null, ask: q.ask ?? null, high: q.high ?? null, low: q.low ?? null, volume: q.volume ?? null,
      seq: r.lastSeq || null, watched: watch.has(r.symbol), visible: r.visible, sparkPoints: r.spark.points.length, sparkDrawn: r.sparkDrawnAt > 0,
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
    get stats() { return { ...stats, attempt, sortPaused }; },
    get watchList() { return [...watch].sort(); },
    get chart() { return chart.snapshot(); },
    reconnectNow,
  });

  // ---- start ----------------------------------------------------------------------------------
  syncChart(); // a link or a reload with #SYMBOL opens its chart
  readColors();
  updateSortHeaders();
  applyFilter();
  setState('connecting');
  connect();
}

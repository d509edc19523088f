// What the page does with each quotecast.v1 message (docs/protocol.md): quotes into their rows (the
// last seq of each kept for `since`, a resumed stream's duplicates dropped, a gap's sparkline asked
// again), the symbol list's names, bars and history errors to whoever asked, other errors reported;
// and the subscribe that resumes every row where it stopped.

import { isNum } from './format.js';
import { emptySpark } from './sparkline.js';

const MAX_SINCE_CHARS = 16000; // don't send a resume map bigger than this (frame size limits)

/**
 * `rows`: the page's Map symbol -> record; `table`: rows.js; `ordering`: ordering.js; `chart`:
 * chart.js; `requests`: history.js; `sparks`: spark-history.js; `stats`: the page's counters;
 * `stream`: stream.js (send, showNotice, tick, refresh).
 */
export function createProtocol({ rows, table, ordering, chart, requests, sparks, stats, stream }) {
  let hello = null;

  function handle(data, id) {
    stats.messages++;
    let m;
    try { m = JSON.parse(data); } catch (e) { console.warn('Quotecast: ignoring a non-JSON frame'); return; }
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'quote': onQuote(m, id); break;
      case 'symbols': onSymbols(m.symbols); break;
      case 'bars': requests.answer(m, null); break;
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
      sparks.request([r.symbol], true);
    }
    // a stale snapshot (docs/protocol.md) marks its row; the top bar counts such rows
    if (table.quote(r, q)) stream.refresh();
    ordering.valuesChanged();
    chart.onQuote(q);
    stats.quotes++;
    stream.tick(q.ts);
  }

  function onSymbols(list) {
    if (!Array.isArray(list)) return;
    const fresh = [];
    for (const s of list) {
      if (!s || typeof s.symbol !== 'string') continue;
      const r = table.row(s.symbol.toUpperCase());
      table.name(r, typeof s.name === 'string' ? s.name : '', typeof s.currency === 'string' ? s.currency : '');
      if (!sparks.asked(r.symbol)) fresh.push(r.symbol);
    }
    ordering.rowsChanged(); // names take part in the filter
    sparks.request(fresh);
  }

  function onError(m) {
    stats.errors++; stats.lastError = m;
    if (m.action === 'history') { requests.answer(null, m); return; }
    report(m);
  }

  function report(m) {
    console.warn(`Quotecast: server error ${m.code}${m.action ? ' (' + m.action + ')' : ''}: ${m.message || ''}`);
    if (m.action === 'subscribe' || m.code === 'forbidden') {
      // The screen would stay empty without a word: say why, in the server's own terms.
      stream.showNotice(m.code, `The server refused part of the ${m.action === 'history' ? 'history' : 'subscription'} (${m.code}): ${m.message || ''}`);
    }
  }

  /** Everything, resumed after the last seq of every row (a `since` too big for a frame is left out). */
  function subscribe() {
    const since = {};
    let any = false;
    for (const r of rows.values()) if (r.lastSeq > 0) { since[r.symbol] = r.lastSeq; any = true; }
    const msg = { action: 'subscribe', symbols: ['*'] };
    if (any && JSON.stringify(since).length <= MAX_SINCE_CHARS) msg.since = since;
    stream.send(msg);
  }

  return {
    handle, subscribe, report,
    get hello() { return hello; },
  };
}

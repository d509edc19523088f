// Sparklines from `history`: one request (1 s bars, as many as a sparkline has points) per symbol as
// soon as the symbol list names it; its bars seed the row's sparkline, live quotes extend it (rows.js).
// Requests not answered when a connection closes are sent again on the next one; a server that does
// not answer history is asked no more, and the sparklines are built from live quotes alone.

import { SPARK_POINTS, fromBars } from './sparkline.js';

const RETRY_MS = 2000; // history requests refused with rate_limited are sent again after this

/**
 * `requests`: history.js's paced requests; `rows`: the page's Map symbol -> record; `table`: rows.js
 * (setSpark); `stats`: the page's counters (historyReplies, historyRows); `report(error)` for an error
 * the page should show.
 */
export function createSparkHistory({ requests, rows, table, stats, report }) {
  let mode = 'unknown';       // unknown | yes (bars received) | no (server does not answer history)
  const asked = new Set();    // symbols ever asked (a gap asks again)
  const pending = new Set();  // asked, no answer yet
  let retry = null;

  function send(sym) {
    // asked when a token is free, unless answered meanwhile
    requests.enqueue(sym, () => (pending.has(sym) ? { symbol: sym, interval: '1s', limit: SPARK_POINTS, consumer: answer } : null));
  }

  /** Asks the symbols not asked before; `again`: asks them anyway (after a gap). */
  function request(symbols, again) {
    if (mode === 'no') return;
    for (const s of symbols) {
      if (asked.has(s) && !again) continue;
      asked.add(s); pending.add(s);
      send(s); // not open: resend() sends it on the next connection
    }
  }

  /** A new connection: the requests of one that closed before answering them. */
  function resend() {
    clearTimeout(retry); retry = null;
    if (mode !== 'no') for (const s of pending) send(s);
  }

  function answer(m, error) {
    if (error) { refused(error); return; }
    mode = 'yes';
    if (typeof m.symbol !== 'string' || !Array.isArray(m.bars)) return;
    const r = rows.get(m.symbol.toUpperCase());
    if (!r || !pending.delete(r.symbol)) return;
    stats.historyReplies++; // answered, with bars or (a server just started) none yet
    const spark = fromBars(m.bars, r.spark);
    if (!spark) return;
    stats.historyRows++;
    table.setSpark(r, spark);
  }

  function refused(m) {
    if (m.code === 'rate_limited') { if (!retry) retry = setTimeout(resend, RETRY_MS); return; }
    if (m.code === 'unknown_action' || (m.code === 'bad_request' && mode !== 'yes')) {
      mode = 'no'; pending.clear();
      console.info(`Quotecast: history not available (${m.code}); sparklines are built from live quotes.`);
      return;
    }
    report(m);
  }

  return {
    request, resend,
    asked: (symbol) => asked.has(symbol),
    get mode() { return mode; },
  };
}

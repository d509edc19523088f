// The detail view of one symbol: candlesticks of its `history` bars with volume beneath, the last
// candle growing from the quote stream, a crosshair readout and a live header. The plot itself is
// candle-plot.js's; this module keeps the view's state: which symbol and interval, its history
// requests, its header, and when to redraw.

import { Candles, INTERVALS } from './candles.js';
import { candlePlot, plotColors, plotSize } from './candle-plot.js';
import { DASH, decimalsOf, fPct, fPrice, fSigned, fVol, isNum, minuteFmt, timeFmt } from './format.js';
import { KEYS, store } from './prefs.js';

export const BARS = 300;
// The last candle is redrawn at most this often: live to the eye, and at 1000 ticks/s it keeps the
// chart's share of the main thread small (each redraw is the whole plot: axes, grid, 300 candles).
const REDRAW_MS = 200;
const RETRY_MS = 2000; // a history request refused with rate_limited is asked again after this
const REPAIR_MS = 5000; // skipped ticks ask the history again at most this often

/**
 * `ask(symbol, interval, limit, answer)` sends a history request and calls answer(barsMessage) or
 * answer(null, error); `quoteOf(symbol)` is the latest quote the page holds; `scheduleFrame()` asks
 * the page's frame loop to call frame(now).
 */
export function createChart({ ask, quoteOf, nameOf, scheduleFrame }) {
  const $ = (id) => document.getElementById(id);
  const el = {
    root: $('chart'), title: $('chart-title'), name: $('chart-name'), close: $('chart-close'),
    last: $('chart-last'), chg: $('chart-chg'), bid: $('chart-bid'), ask: $('chart-ask'), range: $('chart-range'), vol: $('chart-vol'),
    readout: $('chart-readout'), plot: $('chart-plot'), state: $('chart-state'),
    intervals: [...document.querySelectorAll('#chart [data-interval]')],
  };
  let symbol = null;
  let interval = store.get(KEYS.chartInterval, '1s');
  if (!(interval in INTERVALS)) interval = '1s';
  let candles = null;
  let plot = null;
  let dirty = false, headDirty = false, drawnAt = -1e9;
  let request = 0;         // numbers each ask, so that an answer for a symbol or interval left since is dropped
  let retry = null;
  let colors = null;
  let dec = 2;
  const stats = { asked: 0, answers: 0, answer: null, draws: 0, drawn: null };

  // ---- the plot ------------------------------------------------------------------------------
  function makePlot() {
    plot = candlePlot(el.plot, candles.columns(), { interval, colors, decimals: () => dec, onDraw: drawn, onCursor: readout });
  }

  function drawn(what) {
    stats.draws++;
    stats.drawn = { ...what, answers: stats.answers };
    el.plot.dataset.candles = what.count; // test hook; no CSS reads it
  }

  function readout(u) {
    const i = u.cursor.idx;
    showReadout(i == null ? u.data[0].length - 1 : i, i != null);
  }

  function showReadout(i, pointing) {
    const d = plot ? plot.data : null;
    if (!d || i < 0 || i >= d[0].length) { el.readout.textContent = DASH; return; }
    const t = new Date(d[0][i]);
    const text = `${interval === '1m' ? minuteFmt.format(t) : timeFmt.format(t)}  O ${fPrice(d[1][i], dec)}  H ${fPrice(d[2][i], dec)}`
      + `  L ${fPrice(d[3][i], dec)}  C ${fPrice(d[4][i], dec)}  V ${fVol(d[5][i])}`;
    if (el.readout.textContent !== text) el.readout.textContent = text;
    el.readout.dataset.pointing = pointing ? 'true' : 'false';
    el.readout.dataset.t = d[0][i];
  }

  const resizer = new ResizeObserver(() => {
    if (!plot) return;
    const s = plotSize(el.plot);
    if (s.width !== plot.width || s.height !== plot.height) plot.setSize(s);
  });

  // ---- the header ------------------------------------------------------------------------------
  function renderHead() {
    headDirty = false;
    const q = quoteOf(symbol);
    const name = q && q.stale ? `${nameOf(symbol)} · stale: the server has lost its feed` : nameOf(symbol);
    if (el.name.textContent !== name) el.name.textContent = name;
    if (!q) return;
    const d = Math.max(dec, decimalsOf(q.price));
    dec = d;
    set(el.last, fPrice(q.price, d));
    set(el.chg, `${fSigned(q.change, d)} (${fPct(q.changePercent)})`);
    el.chg.dataset.sign = q.change > 0 ? 'pos' : q.change < 0 ? 'neg' : '';
    set(el.bid, fPrice(q.bid, d));
    set(el.ask, fPrice(q.ask, d));
    set(el.range, `${fPrice(q.low, d)} – ${fPrice(q.high, d)}`);
    set(el.vol, fVol(q.volume));
  }
  const set = (node, text) => { if (node.textContent !== text) node.textContent = text; };

  function showState(text) {
    el.state.textContent = text;
    el.state.hidden = !text;
  }

  // ---- history -----------------------------------------------------------------------------------
  function askHistory() {
    clearTimeout(retry); retry = null;
    const id = ++request;
    const sym = symbol, iv = interval;
    stats.asked++;
    const sent = ask(sym, iv, BARS, (m, error) => {
      if (id !== request) return; // the user moved on
      if (error) {
        if (error.code === 'rate_limited') retry = setTimeout(askHistory, RETRY_MS);
        else showState(`No history: ${error.message || error.code}`);
        return;
      }
      const bars = Array.isArray(m.bars) ? m.bars : [];
      stats.answers++;
      stats.answer = { count: bars.length, first: bars.length ? bars[0].t : null, last: bars.length ? bars[bars.length - 1].t : null };
      candles.merge(bars);
      showState(candles.bars.length ? '' : 'No trades yet');
      dirty = true; scheduleFrame();
    });
    if (!sent) showState('Waiting for the connection…');
  }

  // ---- public ------------------------------------------------------------------------------------
  function open(sym) {
    if (sym === symbol) return;
    if (symbol) teardown();
    symbol = sym;
    colors = plotColors();
    candles = new Candles(interval, BARS);
    const q = quoteOf(sym);
    if (q && isNum(q.volume)) candles.dayVolume = q.volume;
    dec = q ? decimalsOf(q.price) : 2;
    el.title.textContent = sym;
    el.plot.setAttribute('aria-label', `${sym}: candlestick chart, ${interval === '1s' ? 'one-second' : 'one-minute'} bars, with volume`);
    syncIntervalButtons();
    el.root.hidden = false;
    document.body.classList.add('chart-open');
    showState('Loading history…');
    makePlot();
    resizer.observe(el.plot);
    askHistory();
    headDirty = true; dirty = true; scheduleFrame();
  }

  function teardown() {
    request++; // answers still on their way are dropped
    clearTimeout(retry); retry = null;
    resizer.disconnect();
    if (plot) { plot.destroy(); plot = null; }
    candles = null;
    delete el.plot.dataset.candles;
    el.readout.textContent = '';
    stats.drawn = null; stats.answer = null;
  }

  function close() {
    if (!symbol) return;
    teardown();
    symbol = null;
    el.root.hidden = true;
    document.body.classList.remove('chart-open');
  }

  function setInterval_(iv) {
    if (!(iv in INTERVALS) || iv === interval) return;
    interval = iv;
    store.set(KEYS.chartInterval, iv);
    if (symbol) { const s = symbol; teardown(); symbol = null; open(s); } else syncIntervalButtons();
  }

  function syncIntervalButtons() {
    for (const b of el.intervals) b.setAttribute('aria-pressed', b.dataset.interval === interval ? 'true' : 'false');
    el.root.dataset.interval = interval;
  }

  function onQuote(q) {
    if (!symbol || q.symbol !== symbol) return;
    candles.add(q);
    dirty = true; headDirty = true;
    scheduleFrame();
  }

  /**
   * Ticks of the open symbol were skipped (the server conflated for a page that fell behind): the
   * candles built from quotes lack them, the server's bars do not.
   */
  let repairAt = 0;
  function repair() {
    if (!symbol) return;
    const now = Date.now();
    if (now - repairAt < REPAIR_MS) return;
    repairAt = now;
    askHistory();
  }

  /** A new connection: its history fills the hole the outage left (and `since` replays the ticks). */
  function onReconnect() { if (symbol) askHistory(); }

  /** Called from the page's frame loop; true while a redraw waits for its turn. */
  function frame(now) {
    if (!symbol) return false;
    if (headDirty) renderHead();
    if (!dirty) return false;
    if (now - drawnAt < REDRAW_MS) return true;
    drawnAt = now; dirty = false;
    plot.setData(candles.columns());
    if (plot.cursor.idx == null) showReadout(plot.data[0].length - 1, false);
    return false;
  }

  /** uPlot takes axis colours at creation: a scheme change builds the plot again, on the same data. */
  function recolor() {
    if (!symbol) return;
    colors = plotColors();
    plot.destroy();
    makePlot();
  }

  el.close.addEventListener('click', () => el.root.dispatchEvent(new CustomEvent('chart-close-request', { bubbles: true })));
  for (const b of el.intervals) b.addEventListener('click', () => setInterval_(b.dataset.interval));
  syncIntervalButtons();

  return {
    open, close, onQuote, onReconnect, repair, frame, recolor,
    setInterval: setInterval_,
    get symbol() { return symbol; },
    get interval() { return interval; },
    snapshot() {
      const b = candles && candles.bars.length ? candles.bars[candles.bars.length - 1] : null;
      return {
        symbol, interval, asked: stats.asked, answers: stats.answers, answer: stats.answer, drawn: stats.drawn, draws: stats.draws,
        bars: candles ? candles.bars.length : 0, times: candles ? candles.bars.map((x) => x.t) : [],
        last: b ? { ...b } : null,
      };
    },
  };
}

// The detail view of one symbol: candlesticks of its `history` bars with volume beneath, the last
// candle growing from the quote stream, a crosshair readout and a live header. uPlot draws axes,
// grid and cursor; the candles and volume bars are drawn in its draw hook (uPlot has no candle series).

import uPlot from './uplot.js';
import { Candles, INTERVALS } from './candles.js';
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

  function readColors() {
    const cs = getComputedStyle(document.documentElement);
    const v = (n) => cs.getPropertyValue(n).trim();
    colors = { up: v('--pos'), down: v('--neg'), axis: v('--muted'), grid: v('--row-line'), volUp: v('--vol-up'), volDown: v('--vol-down') };
  }

  // ---- the plot ------------------------------------------------------------------------------
  function priceRange(u) {
    const [, , h, l] = u.data;
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < h.length; i++) { if (l[i] < min) min = l[i]; if (h[i] > max) max = h[i]; }
    if (min === Infinity) return [0, 1];
    const span = max - min || Math.abs(max) * 0.002 || 1;
    // the lowest third is the volume's: candles stay above its bars
    return [min - span * 0.45, max + span * 0.08];
  }

  function lowest(u) {
    const l = u.data[3];
    let min = Infinity;
    for (let i = 0; i < l.length; i++) if (l[i] < min) min = l[i];
    const range = u.scales.y;
    return min === Infinity ? -Infinity : min - (range.max - range.min) * 0.05;
  }

  /** Most of a bar of room at each end, so that the first and last candles are whole. */
  function timeRange(u, min, max) {
    if (min == null || max == null) { const now = Date.now(); return [now - 60000, now]; }
    const ms = INTERVALS[interval];
    return [min - ms * 0.8, max + ms * 0.8];
  }

  function volumeRange(u) {
    const vs = u.data[5];
    let max = 0;
    for (let i = 0; i < vs.length; i++) if (vs[i] > max) max = vs[i];
    return [0, (max || 1) * 4]; // volume bars use the lowest quarter of the plot
  }

  function drawCandles(u) {
    const [xs, o, h, l, c, v] = u.data;
    const n = xs.length;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const ms = INTERVALS[interval];
    const step = n ? u.valToPos(xs[0] + ms, 'x', true) - u.valToPos(xs[0], 'x', true) : 0;
    const w = Math.max(1, Math.min(step * 0.7, 24 * devicePixelRatio));
    const volBase = u.valToPos(0, 'vol', true);
    let drawn = 0, first = null, lastT = null;
    ctx.save();
    ctx.beginPath(); ctx.rect(left, top, width, height); ctx.clip();
    ctx.lineWidth = Math.max(1, Math.round(devicePixelRatio));
    for (let i = 0; i < n; i++) {
      const x = u.valToPos(xs[i], 'x', true);
      if (x < left - w || x > left + width + w) continue;
      const up = c[i] >= o[i];
      const xl = Math.round(x - w / 2);
      const vy = u.valToPos(v[i], 'vol', true);
      ctx.fillStyle = up ? colors.volUp : colors.volDown;
      ctx.fillRect(xl, vy, Math.max(1, Math.round(w)), Math.max(0, volBase - vy));
      ctx.strokeStyle = ctx.fillStyle = up ? colors.up : colors.down;
      const xm = Math.round(x) + 0.5;
      ctx.beginPath();
      ctx.moveTo(xm, Math.round(u.valToPos(h[i], 'y', true)));
      ctx.lineTo(xm, Math.round(u.valToPos(l[i], 'y', true)));
      ctx.stroke();
      const yo = u.valToPos(o[i], 'y', true), yc = u.valToPos(c[i], 'y', true);
      ctx.fillRect(xl, Math.round(Math.min(yo, yc)), Math.max(1, Math.round(w)), Math.max(1, Math.round(Math.abs(yo - yc))));
      drawn++; if (first === null) first = xs[i]; lastT = xs[i];
    }
    ctx.restore();
    stats.draws++;
    stats.drawn = { count: drawn, first, last: lastT, answers: stats.answers };
    el.plot.dataset.candles = drawn; // test hook; no CSS reads it
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

  function axisValues(u, splits) {
    return splits.map((t) => (interval === '1m' ? minuteFmt.format(t) : timeFmt.format(t)));
  }

  function makePlot() {
    const noPath = () => null;
    const series = (label, scale) => ({ label, scale, paths: noPath, points: { show: false } });
    const axis = { stroke: colors.axis, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 }, font: '11px system-ui, sans-serif' };
    const size = plotSize();
    plot = new uPlot({
      width: size.width, height: size.height, ms: 1,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
      padding: [10, 30, 0, 4], // room for the last time label, which uPlot centres on its tick
      scales: { x: { time: true, range: timeRange }, y: { range: priceRange }, vol: { range: volumeRange } },
      series: [{}, series('Open', 'y'), series('High', 'y'), series('Low', 'y'), series('Close', 'y'), series('Volume', 'vol')],
      axes: [
        { ...axis, values: axisValues, space: 70 },
        // no price labels down in the volume's band, where no candle can be
        { ...axis, scale: 'y', size: 64, filter: (u, splits) => { const lo = lowest(u); return splits.map((p) => (p >= lo ? p : null)); },
          values: (u, splits) => splits.map((p) => (p == null ? '' : fPrice(p, dec))) },
      ],
      hooks: { draw: [drawCandles], setCursor: [readout] },
    }, candles.columns(), el.plot);
  }

  function plotSize() {
    return { width: Math.max(100, Math.floor(el.plot.clientWidth)), height: Math.max(120, Math.floor(el.plot.clientHeight)) };
  }

  const resizer = new ResizeObserver(() => {
    if (!plot) return;
    const s = plotSize();
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
    readColors();
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
    readColors();
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

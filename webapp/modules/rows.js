// The table's rows: one record per symbol with its DOM nodes and its sparkline canvas. A quote changes
// the record at once; its row is drawn in the frame loop, at most every ROW_MIN_RENDER_MS, its tick
// flash restarted at most every FLASH_MIN_INTERVAL_MS, its sparkline at most every SPARK_MIN_REDRAW_MS,
// and only while the row is visible (ordering.js decides that, and calls shown(r) when it shows one).
//
// A record: {symbol, name, currency, q (the latest quote), lastSeq, connId, dec, spark, visible, tr, …};
// the page reads symbol, name, q, lastSeq, connId and spark, and ordering.js writes visible.

import { DASH, decimalsOf, fPct, fPrice, fSigned, fVol } from './format.js';
import { drawSpark, emptySpark, pushPrice } from './sparkline.js';

const SPARK_MIN_REDRAW_MS = 250;    // per-row sparkline redraw throttle
const FLASH_MIN_INTERVAL_MS = 700;  // per-row: restart the tick flash at most this often
const ROW_MIN_RENDER_MS = 100;      // per-row conflation: at most ~10 visual updates/s per row (the model is always current)

const STALE_TITLE = 'Stale: the server has lost its feed; this is the last price it had';

const pixelRatio = () => Math.max(1, Math.min(3, window.devicePixelRatio || 1));

/**
 * `rows`: the page's Map symbol -> record, filled here; `template`: the row's <template>; `stats`: the
 * page's counters (rowRenders, sparkDraws are counted here); `isWatched(symbol)`; `schedule()` asks the
 * frame loop for a frame; `added(r)` is told of every new row.
 */
export function createRows({ rows, template, stats, isWatched, schedule, added }) {
  const dirty = new Set();         // rows whose quote changed since they were last drawn
  const sparkPending = new Set();  // rows whose sparkline must be redrawn (throttled)
  const stale = new Set();         // rows whose latest quote is a stale snapshot
  let dpr = pixelRatio();
  let sparkW = 72, sparkH = 18;    // from CSS --spark-w / --spark-h (responsive)
  let colors = null;

  /** The colours and the sparkline size from the page's CSS (they change with the scheme and the width). */
  function readColors() {
    const cs = getComputedStyle(document.documentElement);
    const v = (n) => cs.getPropertyValue(n).trim();
    colors = { up: v('--spark-up'), down: v('--spark-down'), flat: v('--spark-flat'), upFill: v('--spark-up-fill'), downFill: v('--spark-down-fill') };
    sparkW = parseFloat(v('--spark-w')) || 72;
    sparkH = parseFloat(v('--spark-h')) || 18;
  }

  /** The symbol's row, made (from the template, not yet in the table) if it has none. */
  function row(symbol) {
    let r = rows.get(symbol);
    if (r) return r;
    const tr = template.content.firstElementChild.cloneNode(true);
    const cell = (cls) => tr.querySelector('.' + cls);
    const text = (cls) => { const c = cell(cls); c.textContent = DASH; return c.firstChild; };
    tr.dataset.symbol = symbol;
    tr.tabIndex = -1; // one row at a time is the table's tab stop (keyboard.js)
    const star = tr.querySelector('.star');
    star.setAttribute('aria-label', 'Watch ' + symbol);
    star.dataset.symbol = symbol;
    cell('c-sym').textContent = symbol;
    const canvas = tr.querySelector('canvas');
    canvas.width = Math.round(sparkW * dpr); canvas.height = Math.round(sparkH * dpr);
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
    setWatched(r, isWatched(symbol));
    rows.set(symbol, r);
    added(r);
    return r;
  }

  function setWatched(r, on) {
    r.star.setAttribute('aria-pressed', on ? 'true' : 'false');
    r.tr.classList.toggle('watched', on);
  }

  /**
   * A new quote for the row: the record now, the row and its sparkline in a coming frame. Answers
   * whether the row turned stale or live again (the page counts stale rows in its top bar).
   */
  function quote(r, q) {
    const d = decimalsOf(q.price);
    if (d > r.dec) r.dec = d;
    // A stale snapshot (docs/protocol.md): the server has lost its feed and this is the last price it had.
    // The row says so until a live quote replaces it.
    const staleChanged = !!q.stale !== stale.has(r);
    if (staleChanged) { if (q.stale) stale.add(r); else stale.delete(r); }
    r.q = q;
    pushPrice(r.spark, q.price, q.ts);
    sparkPending.add(r);
    dirty.add(r);
    schedule();
    return staleChanged;
  }

  /** The name and currency of the symbol list; drawn with the next frame the caller asks for. */
  function name(r, n, currency) {
    r.name = n; r.currency = currency;
    dirty.add(r);
  }

  /** A sparkline from elsewhere (history bars), or an empty one after a gap. */
  function setSpark(r, spark) {
    r.spark = spark;
    sparkPending.add(r);
    schedule();
  }

  /** The row is visible again: what changed while it was hidden is drawn now. */
  function shown(r) {
    if (r.needsRender) { r.needsRender = false; dirty.add(r); }
  }

  function setCell(r, key, str) {
    if (r.shown[key] !== str) { r.shown[key] = str; r.t[key].data = str; }
  }

  function render(r, now) {
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
      r.tr.title = q.stale ? STALE_TITLE : '';
    }
    // test hooks (no CSS depends on these attributes, so they do not invalidate style)
    r.tr.dataset.price = q.price;
    r.tr.dataset.changePercent = q.changePercent;
    r.tr.dataset.seq = q.seq;
  }

  /** The frame loop's part: draws what is due; answers whether some row waits for a later frame. */
  function frame(now) {
    let rowsLeft = false;
    for (const r of dirty) {
      if (!r.visible) { r.needsRender = true; dirty.delete(r); }
      else if (now - r.renderedAt >= ROW_MIN_RENDER_MS || !r.shown.last) { render(r, now); r.renderedAt = now; dirty.delete(r); }
      else rowsLeft = true; // rendered very recently: keep it for a later frame
    }
    let sparkLeft = false;
    for (const r of sparkPending) {
      if (!r.visible) continue; // drawn when it becomes visible again
      if (now - r.sparkDrawnAt >= SPARK_MIN_REDRAW_MS) {
        stats.sparkDraws++;
        drawSpark(r.ctx, r.canvas.width, r.canvas.height, r.spark.points, colors, dpr);
        r.sparkDrawnAt = now; sparkPending.delete(r);
      } else sparkLeft = true;
    }
    return rowsLeft || sparkLeft;
  }

  /** The colour scheme changed: every sparkline again. */
  function recolor() {
    readColors();
    for (const r of rows.values()) sparkPending.add(r);
    schedule();
  }

  /** The window was resized: the sparklines' backing stores follow the CSS size and the pixel ratio. */
  function resized() {
    const oldW = sparkW, oldH = sparkH, oldDpr = dpr;
    dpr = pixelRatio();
    readColors();
    if (oldW === sparkW && oldH === sparkH && oldDpr === dpr) return;
    const w = Math.round(sparkW * dpr), h = Math.round(sparkH * dpr);
    for (const r of rows.values()) {
      if (r.canvas.width !== w || r.canvas.height !== h) { r.canvas.width = w; r.canvas.height = h; }
      sparkPending.add(r);
    }
    schedule();
  }

  readColors();
  return {
    row, quote, name, setSpark, setWatched, shown, frame, recolor, resized,
    /** How many rows show a stale snapshot. */
    get staleCount() { return stale.size; },
  };
}

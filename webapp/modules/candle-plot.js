// The chart's plot: uPlot set up for candlesticks with volume beneath. uPlot draws axes, grid and
// cursor; the candles and volume bars are drawn in its draw hook (uPlot has no candle series). The
// data is Candles.columns(): [times, open, high, low, close, volume].

import uPlot from './uplot.js';
import { INTERVALS } from './candles.js';
import { fPrice, minuteFmt, timeFmt } from './format.js';

/** The theme's colours for the plot, read from the page's CSS variables (uPlot takes them at creation). */
export function plotColors() {
  const cs = getComputedStyle(document.documentElement);
  const v = (n) => cs.getPropertyValue(n).trim();
  return { up: v('--pos'), down: v('--neg'), axis: v('--muted'), grid: v('--row-line'), volUp: v('--vol-up'), volDown: v('--vol-down') };
}

/** The size `node` gives the plot, never below a readable least. */
export function plotSize(node) {
  return { width: Math.max(100, Math.floor(node.clientWidth)), height: Math.max(120, Math.floor(node.clientHeight)) };
}

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

function volumeRange(u) {
  const vs = u.data[5];
  let max = 0;
  for (let i = 0; i < vs.length; i++) if (vs[i] > max) max = vs[i];
  return [0, (max || 1) * 4]; // volume bars use the lowest quarter of the plot
}

/** Draws the candles and volume bars of bars `ms` long; returns what it drew: {count, first, last}. */
function drawCandles(u, ms, colors) {
  const [xs, o, h, l, c, v] = u.data;
  const n = xs.length;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
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
  return { count: drawn, first, last: lastT };
}

/**
 * A candlestick plot of `data` in `node`, for bars of `interval` ('1s' or '1m'), in `colors` (plotColors()).
 * `decimals()` gives the price labels' decimals; `onDraw({count, first, last})` hears each draw;
 * `onCursor(u)` each move of the cursor.
 */
export function candlePlot(node, data, { interval, colors, decimals, onDraw, onCursor }) {
  const ms = INTERVALS[interval];
  const timeLabel = (t) => (interval === '1m' ? minuteFmt.format(t) : timeFmt.format(t));
  /** Most of a bar of room at each end, so that the first and last candles are whole. */
  const timeRange = (u, min, max) => {
    if (min == null || max == null) { const now = Date.now(); return [now - 60000, now]; }
    return [min - ms * 0.8, max + ms * 0.8];
  };
  const noPath = () => null;
  const series = (label, scale) => ({ label, scale, paths: noPath, points: { show: false } });
  const axis = { stroke: colors.axis, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 }, font: '11px system-ui, sans-serif' };
  const size = plotSize(node);
  return new uPlot({
    width: size.width, height: size.height, ms: 1,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
    padding: [10, 30, 0, 4], // room for the last time label, which uPlot centres on its tick
    scales: { x: { time: true, range: timeRange }, y: { range: priceRange }, vol: { range: volumeRange } },
    series: [{}, series('Open', 'y'), series('High', 'y'), series('Low', 'y'), series('Close', 'y'), series('Volume', 'vol')],
    axes: [
      { ...axis, values: (u, splits) => splits.map(timeLabel), space: 70 },
      // no price labels down in the volume's band, where no candle can be
      { ...axis, scale: 'y', size: 64, filter: (u, splits) => { const lo = lowest(u); return splits.map((p) => (p >= lo ? p : null)); },
        values: (u, splits) => splits.map((p) => (p == null ? '' : fPrice(p, decimals()))) },
    ],
    hooks: { draw: [(u) => onDraw(drawCandles(u, ms, colors))], setCursor: [onCursor] },
  }, data, node);
}

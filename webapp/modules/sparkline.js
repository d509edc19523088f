// A row's sparkline: one point per second over the last minute, seeded from 1 s history bars and
// extended by live quotes. A spark is {points, bucket} (bucket: the epoch second of the last point);
// these functions know nothing of rows or of the page.

import { isNum } from './format.js';

export const SPARK_POINTS = 60; // the same shape as history 1s, limit 60

export function emptySpark() { return { points: [], bucket: 0 }; }

/** A live price at ts (epoch ms). */
export function pushPrice(spark, price, ts) {
  const b = Math.floor((isNum(ts) ? ts : Date.now()) / 1000);
  const pts = spark.points;
  if (!pts.length) { pts.push(price); spark.bucket = b; return; }
  if (b <= spark.bucket) { pts[pts.length - 1] = price; return; }
  // carry the previous price across silent seconds so the x axis stays "one point per second"
  const missing = Math.min(b - spark.bucket - 1, SPARK_POINTS);
  const prev = pts[pts.length - 1];
  for (let i = 0; i < missing; i++) pts.push(prev);
  pts.push(price);
  spark.bucket = b;
  if (pts.length > SPARK_POINTS) pts.splice(0, pts.length - SPARK_POINTS);
}

/**
 * A spark from 1 s bars, with the live points of `live` newer than the last bar kept after them
 * (quotes that arrived while the answer was on its way). Null when there are no usable bars.
 */
export function fromBars(rawBars, live) {
  const bars = rawBars.filter((b) => b && isNum(b.c) && isNum(b.t)).sort((a, b) => a.t - b.t);
  if (!bars.length) return null;
  // a second without a bar repeats the previous close
  const pts = [];
  let bucket = Math.floor(bars[0].t / 1000);
  for (const b of bars) {
    const bb = Math.floor(b.t / 1000);
    if (pts.length) {
      for (let i = Math.min(bb - bucket - 1, SPARK_POINTS); i > 0; i--) pts.push(pts[pts.length - 1]);
      if (bb <= bucket) { pts[pts.length - 1] = b.c; continue; }
    }
    pts.push(b.c); bucket = bb;
  }
  if (live.points.length && live.bucket > bucket) {
    const newer = live.points.slice(-Math.min(live.points.length, live.bucket - bucket));
    for (let i = Math.min(live.bucket - bucket - newer.length, SPARK_POINTS); i > 0; i--) pts.push(pts[pts.length - 1]);
    pts.push(...newer);
    bucket = live.bucket;
  }
  return { points: pts.slice(-SPARK_POINTS), bucket };
}

/** Draws on a canvas sized in device pixels; `colors` from the page's CSS (--spark-*). */
export function drawSpark(ctx, w, h, pts, colors, dpr) {
  const n = pts.length;
  ctx.clearRect(0, 0, w, h);
  if (n === 0) return;
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) { const p = pts[i]; if (p < min) min = p; if (p > max) max = p; }
  const pad = 2 * dpr;
  const span = max - min || 1;
  // right-aligned, one point per second; stretch short series to at least a 15 s span so the first seconds are readable
  const step = (w - 2 * pad) / (Math.max(n, 15) - 1);
  const x0 = w - pad - (n - 1) * step;
  const y = (p) => (max === min ? h / 2 : pad + (1 - (p - min) / span) * (h - 2 * pad));
  const first = pts[0], last = pts[n - 1];
  const up = last > first, down = last < first;
  ctx.beginPath();
  ctx.moveTo(x0, y(first));
  for (let i = 1; i < n; i++) ctx.lineTo(x0 + i * step, y(pts[i]));
  ctx.lineWidth = 1.25 * dpr;
  ctx.lineJoin = 'round';
  ctx.strokeStyle = up ? colors.up : down ? colors.down : colors.flat;
  ctx.stroke();
  ctx.lineTo(x0 + (n - 1) * step, h);
  ctx.lineTo(x0, h);
  ctx.closePath();
  ctx.fillStyle = up ? colors.upFill : down ? colors.downFill : 'transparent';
  ctx.fill();
  ctx.beginPath();
  ctx.arc(x0 + (n - 1) * step, y(last), 1.6 * dpr, 0, Math.PI * 2);
  ctx.fillStyle = ctx.strokeStyle;
  ctx.fill();
}

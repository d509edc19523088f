// One symbol's bars at one interval, seeded from `history` and grown by live quotes exactly as the
// server builds them (market/BarSeries): a bar starts at floor(ts / interval) * interval, opens at the
// first trade in it, and holds the volume traded within it (the difference of the quotes' day volumes).
// Plain data, no DOM: the chart draws what columns() returns.

import { isNum } from './format.js';

export const INTERVALS = Object.freeze({ '1s': 1000, '1m': 60000 });

export class Candles {
  constructor(interval, max) {
    this.interval = interval;
    this.ms = INTERVALS[interval];
    this.max = max;
    this.bars = [];         // {t, o, h, l, c, v}, oldest first
    this.dayVolume = null;  // the day volume of the last quote taken, to tell what the next one traded
  }

  barStart(ts) { return Math.floor(ts / this.ms) * this.ms; }

  /**
   * A `history` answer: the server's bars are the truth up to its last one; bars built here from
   * quotes newer than that (they arrived while the answer was on its way, or filled a reconnect's
   * hole) are kept after them.
   */
  merge(bars) {
    const fresh = bars.filter((b) => b && isNum(b.t) && isNum(b.o) && isNum(b.h) && isNum(b.l) && isNum(b.c))
      .map((b) => ({ t: b.t, o: b.o, h: b.h, l: b.l, c: b.c, v: isNum(b.v) ? b.v : 0 }))
      .sort((a, b) => a.t - b.t);
    if (!fresh.length) return;
    const last = fresh[fresh.length - 1].t;
    const newer = this.bars.filter((b) => b.t > last);
    const older = this.bars.filter((b) => b.t < fresh[0].t);
    this.bars = older.concat(fresh, newer).slice(-this.max);
  }

  /** A live quote: into the current bar, or the first trade of a new one on the interval boundary. */
  add(q) {
    if (!isNum(q.price) || !isNum(q.ts)) return;
    const traded = isNum(q.volume) && this.dayVolume != null ? Math.max(0, q.volume - this.dayVolume) : 0;
    if (isNum(q.volume)) this.dayVolume = q.volume;
    const t = this.barStart(q.ts);
    const cur = this.bars[this.bars.length - 1];
    // A tick older than the newest bar: replayed by `since` after a history answer that already holds
    // it. It must not move the current bar's close back in time.
    if (cur && t < cur.t) return;
    if (cur && t === cur.t) {
      if (q.price > cur.h) cur.h = q.price;
      if (q.price < cur.l) cur.l = q.price;
      cur.c = q.price;
      cur.v += traded;
      return;
    }
    this.bars.push({ t, o: q.price, h: q.price, l: q.price, c: q.price, v: traded });
    if (this.bars.length > this.max) this.bars.splice(0, this.bars.length - this.max);
  }

  /** Columns as uPlot takes them: x (ms), open, high, low, close, volume. */
  columns() {
    const n = this.bars.length;
    const cols = [new Array(n), new Array(n), new Array(n), new Array(n), new Array(n), new Array(n)];
    for (let i = 0; i < n; i++) {
      const b = this.bars[i];
      cols[0][i] = b.t; cols[1][i] = b.o; cols[2][i] = b.h; cols[3][i] = b.l; cols[4][i] = b.c; cols[5][i] = b.v;
    }
    return cols;
  }
}

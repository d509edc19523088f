// Quotecast dashboard: the composition root. Each part is a native ES module of webapp/modules/ (no
// build step) that gets what it works on passed in; this file makes them, in order, and wires each to
// the others. Protocol: quotecast.v1 (see docs/protocol.md).
import { KEYS, store } from './modules/prefs.js';
import { takeToken, streamUrl } from './modules/connection.js';
import { createFrameLoop } from './modules/frame-loop.js';
import { createChart } from './modules/chart.js';
import { installChartRoute } from './modules/route.js';
import { installKeyboard } from './modules/keyboard.js';
import { createOrdering } from './modules/ordering.js';
import { createRows } from './modules/rows.js';
import { createHistoryRequests } from './modules/history.js';
import { createSparkHistory } from './modules/spark-history.js';
import { createStream } from './modules/stream.js';
import { createProtocol } from './modules/protocol.js';

const $ = (id) => document.getElementById(id);
const el = {
  status: $('status'), statusText: $('status-text'), statusDetail: $('status-detail'), retry: $('retry'), notice: $('notice'),
  filter: $('filter'), watchOnly: $('watch-only'), count: $('count'),
  table: $('quotes'), tbody: $('rows'), empty: $('empty'), rowTemplate: $('row-template'), chart: $('chart'),
};

/** symbol -> row record (rows.js): the table's model, shared by the rows, the ordering and the protocol */
const rows = new Map();
/** the page's counters, for the tests (window.quotecast.stats) */
const stats = {
  messages: 0, quotes: 0, duplicates: 0, gaps: 0, skippedSeq: 0, resumed: 0, errors: 0, historyRows: 0, historyReplies: 0,
  frames: 0, rowRenders: 0, sparkDraws: 0, renderMsMax: 0, renderMsTotal: 0,
  connects: 0, closes: 0, lastClose: null, lastError: null,
};
const token = takeToken();

const loop = createFrameLoop({ stats });
const requests = createHistoryRequests((message) => stream.send(message));
const chart = createChart({
  ask: (symbol, interval, limit, consumer) => requests.now(symbol, interval, limit, consumer),
  quoteOf: (sym) => { const r = rows.get(sym); return r ? r.q : null; },
  nameOf: (sym) => { const r = rows.get(sym); return r ? r.name : ''; },
  scheduleFrame: loop.schedule,
});
const route = installChartRoute({
  chart, view: el.chart, rowOf: (sym) => (rows.get(sym) || {}).tr, focusRow: (tr) => keyboard.focusRow(tr),
});
const keyboard = installKeyboard({
  tbody: el.tbody, filter: el.filter, watchOnly: el.watchOnly,
  open: route.open, close: route.close, chartOpen: () => chart.symbol !== null,
});
const ordering = createOrdering({
  rows, tbody: el.tbody, table: el.table, filter: el.filter, watchOnly: el.watchOnly, count: el.count, empty: el.empty,
  store, keys: KEYS, schedule: loop.schedule, ensureTabStop: keyboard.ensureTabStop,
  onShow: (r) => table.shown(r), onWatch: (r, on) => table.setWatched(r, on),
});
const table = createRows({
  rows, template: el.rowTemplate, stats, schedule: loop.schedule, isWatched: ordering.isWatched, added: ordering.rowsChanged,
});
loop.add(ordering.frame); // first: a row shown again is drawn in the same frame
loop.add(table.frame);
loop.add(chart.frame);

const sparks = createSparkHistory({ requests, rows, table, stats, report: (m) => protocol.report(m) });
const stream = createStream({
  token, stats, notice: el.notice, staleCount: () => table.staleCount,
  bar: { status: el.status, text: el.statusText, detail: el.statusDetail, retry: el.retry },
  opened: () => {
    protocol.subscribe();
    stream.send({ action: 'list' });
    requests.opened();
    sparks.resend(); // requests of a connection that closed before answering them
    chart.onReconnect();
  },
  message: (data, id) => protocol.handle(data, id),
  closed: () => requests.closed(),
});
const protocol = createProtocol({ rows, table, ordering, chart, requests, sparks, stats, stream });

// ---- the page's own events ------------------------------------------------------------------------
el.tbody.addEventListener('click', (e) => {
  const btn = e.target.closest('button.star');
  if (btn) { if (rows.has(btn.dataset.symbol)) ordering.toggleWatch(btn.dataset.symbol); return; }
  const tr = e.target.closest('tr[data-symbol]');
  if (tr) route.open(tr.dataset.symbol, tr);
});
// the watch list edited in another tab
window.addEventListener('storage', (e) => { if (e.key === KEYS.watch) ordering.reloadWatch(); });
const schemeQuery = window.matchMedia('(prefers-color-scheme: dark)');
if (schemeQuery.addEventListener) schemeQuery.addEventListener('change', () => { table.recolor(); chart.recolor(); });
let resizeTimer = null;
window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(table.resized, 100); });

// ---- test hook ------------------------------------------------------------------------------------
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
  get state() { return stream.state; },
  get lastTickAt() { return stream.lastTickAt; },
  get lastTickTs() { return stream.lastTickTs; },
  get streamUrl() { return streamUrl(); },
  get protocol() { return stream.protocol; },
  get hello() { return protocol.hello; },
  get user() { const h = protocol.hello; return h ? h.user ?? null : null; },
  get hasToken() { return !!token; },
  get historyMode() { return sparks.mode; },
  get rows() { const o = {}; for (const r of rows.values()) o[r.symbol] = rowSnapshot(r); return o; },
  get order() { return [...el.tbody.children].filter((tr) => !tr.hidden).map((tr) => tr.dataset.symbol); },
  get stats() { return { ...stats, attempt: stream.attempt, sortPaused: ordering.paused }; },
  get watchList() { return ordering.watchList; },
  get chart() { return chart.snapshot(); },
  reconnectNow: () => stream.reconnectNow(),
});

// ---- start ----------------------------------------------------------------------------------------
route.sync(); // a link or a reload with #SYMBOL opens its chart
stream.start();

// Which rows the table shows, and in what order: the sort (symbol, last price or change %, either
// direction), the filter (symbol or name) and the watch list, all kept in the user's preferences.
// The DOM work happens in frame(now), called by the frame loop; a live sort (price, change %) is
// re-applied at most once a second, and never while the pointer or the focus is in the table body,
// so that rows do not jump under the cursor.
//
// Of a row record (rows.js) this reads symbol, name, q and tr, and writes visible.

import { isNum } from './format.js';

/** Sortable keys, each with its first direction. */
export const SORT_KEYS = Object.freeze({ symbol: 'asc', price: 'desc', changePercent: 'desc' });
const DEFAULT_SORT = Object.freeze({ key: 'symbol', dir: 'asc' });
const RESORT_MIN_INTERVAL_MS = 1000; // live re-sort (price / change %) at most once a second

/** The sort after a click on `key`'s header: the other direction of the same key, or a new key's first. */
export function nextSort(sort, key) {
  return key === sort.key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: SORT_KEYS[key] };
}

/** Rows in `sort`'s order; rows without the value last, ties by symbol. */
export function comparator(sort) {
  return (a, b) => {
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
  };
}

/** Whether a row passes: in the watch list when `watchOnly`, its symbol or name containing `text` (upper case). */
export function passes(r, text, watchOnly, watch) {
  if (watchOnly && !watch.has(r.symbol)) return false;
  if (!text) return true;
  return r.symbol.includes(text) || r.name.toUpperCase().includes(text);
}

/**
 * `rows`: the page's Map symbol -> record; the page's elements `tbody`, `table` (its th[data-sort-key]
 * get aria-sort), `filter` (an input), `watchOnly` (a checkbox), `count` and `empty`; `store` and
 * `keys` (prefs.js) keep the choices; `schedule()` asks for a frame; `onShow(r)` is told of every row
 * shown, `onWatch(r, on)` of every row whose watch state changed; `ensureTabStop()` after the rows changed.
 */
export function createOrdering({ rows, tbody, table, filter, watchOnly: watchBox, count, empty, store, keys, schedule,
  onShow = () => {}, onWatch = () => {}, ensureTabStop = () => {} }) {
  const watch = new Set();
  let watchOnly = store.get(keys.watchOnly, false) === true;
  let sort = store.get(keys.sort, null);
  if (!sort || !(sort.key in SORT_KEYS) || (sort.dir !== 'asc' && sort.dir !== 'desc')) sort = DEFAULT_SORT;
  const storedFilter = store.get(keys.filter, '');
  let filterValue = typeof storedFilter === 'string' ? storedFilter : '';
  let filterText = filterValue.trim().toUpperCase();
  let orderDirty = true;           // row set or sort key changed: re-sort on the next frame
  let filterDirty = true;          // row set, names, filter or watch list changed
  let valuesSinceSort = false;     // live values changed since the last sort (for price / change % sorts)
  let lastSortAt = 0;
  let paused = false;              // pointer or focus inside the table body
  let resortTimer = null;

  function readWatch() {
    const list = store.get(keys.watch, []);
    watch.clear();
    if (Array.isArray(list)) for (const s of list) if (typeof s === 'string') watch.add(s.toUpperCase());
  }

  function applyOrder(now) {
    const sorted = [...rows.values()].sort(comparator(sort));
    const move = typeof tbody.moveBefore === 'function' ? tbody.moveBefore : tbody.insertBefore; // moveBefore keeps focus
    const active = document.activeElement;
    let node = tbody.firstElementChild;
    for (const r of sorted) {
      if (r.tr === node) { node = node.nextElementSibling; continue; }
      if (r.tr.parentNode !== tbody) tbody.insertBefore(r.tr, node);
      else move.call(tbody, r.tr, node);
    }
    if (active && active !== document.activeElement && document.contains(active)) active.focus({ preventScroll: true });
    lastSortAt = now; orderDirty = false; valuesSinceSort = false;
  }

  function applyFilter() {
    let shown = 0;
    for (const r of rows.values()) {
      const v = passes(r, filterText, watchOnly, watch);
      if (v !== r.visible) { r.visible = v; r.tr.hidden = !v; }
      if (v) { shown++; onShow(r); }
    }
    filterDirty = false;
    ensureTabStop();
    const total = rows.size;
    count.textContent = shown === total ? `${total} symbols` : `${shown} of ${total} symbols`;
    count.dataset.shown = shown; count.dataset.total = total;
    if (shown === 0 && total > 0) {
      empty.textContent = watchOnly && watch.size === 0
        ? 'Your watch list is empty. Star a symbol (★) to add it, or turn off “Watch list only”.'
        : `No symbols match “${filterValue.trim()}”${watchOnly ? ' in your watch list' : ''}.`;
      empty.hidden = false;
    } else if (total === 0) {
      empty.textContent = 'Waiting for symbols…'; empty.hidden = false;
    } else empty.hidden = true;
  }

  function updateSortHeaders() {
    for (const th of table.querySelectorAll('th[data-sort-key]')) {
      if (th.dataset.sortKey === sort.key) th.setAttribute('aria-sort', sort.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    table.dataset.sortKey = sort.key; table.dataset.sortDir = sort.dir;
  }

  /** The frame loop's part: filter, then order, when due. Never asks for a frame itself (a timer does). */
  function frame(now) {
    if (filterDirty) applyFilter();
    if (orderDirty) applyOrder(now);
    else if (sort.key !== 'symbol' && valuesSinceSort && !paused) {
      if (now - lastSortAt >= RESORT_MIN_INTERVAL_MS) applyOrder(now);
      else if (!resortTimer) resortTimer = setTimeout(() => { resortTimer = null; schedule(); }, RESORT_MIN_INTERVAL_MS - (now - lastSortAt) + 5);
    }
    return false;
  }

  function refilter() { filterDirty = true; schedule(); }

  function setFilter(value) {
    filterValue = value;
    filterText = value.trim().toUpperCase();
    store.set(keys.filter, value);
    refilter();
  }

  // ---- the controls -------------------------------------------------------------------------------
  table.querySelector('thead').addEventListener('click', (e) => {
    const btn = e.target.closest('button.sort');
    if (!btn) return;
    sort = nextSort(sort, btn.dataset.sort);
    store.set(keys.sort, sort);
    updateSortHeaders();
    orderDirty = true; schedule();
  });

  filter.value = filterValue;
  filter.addEventListener('input', () => setFilter(filter.value));
  filter.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && filter.value) { e.preventDefault(); filter.value = ''; setFilter(''); }
  });

  watchBox.checked = watchOnly;
  watchBox.addEventListener('change', () => {
    watchOnly = watchBox.checked;
    store.set(keys.watchOnly, watchOnly);
    refilter();
  });

  const updatePause = () => {
    const was = paused;
    paused = tbody.matches(':hover') || tbody.contains(document.activeElement);
    if (was && !paused) schedule();
  };
  tbody.addEventListener('pointerenter', updatePause);
  tbody.addEventListener('pointerleave', () => setTimeout(updatePause, 0));
  tbody.addEventListener('focusin', updatePause);
  tbody.addEventListener('focusout', () => setTimeout(updatePause, 0));

  readWatch();
  updateSortHeaders();
  applyFilter();

  return {
    frame,
    /** Rows were added or renamed. */
    rowsChanged() { orderDirty = true; refilter(); },
    /** Live values changed: a price or change % sort is due again. */
    valuesChanged() { if (sort.key !== 'symbol') valuesSinceSort = true; },
    isWatched: (symbol) => watch.has(symbol),
    /** A star's click: answers whether the symbol is now watched. */
    toggleWatch(symbol) {
      const on = !watch.has(symbol);
      if (on) watch.add(symbol); else watch.delete(symbol);
      store.set(keys.watch, [...watch].sort());
      const r = rows.get(symbol);
      if (r) onWatch(r, on);
      if (watchOnly) refilter();
      return on;
    },
    /** The watch list was changed elsewhere (another tab): read it again. */
    reloadWatch() {
      readWatch();
      for (const r of rows.values()) onWatch(r, watch.has(r.symbol));
      refilter();
    },
    get watchList() { return [...watch].sort(); },
    get sort() { return { ...sort }; },
    get paused() { return paused; },
  };
}

// The keyboard: the table's rows are one tab stop (a roving tabindex: 50 stops would make the page
// a chore to tab through); arrows, Home and End move between visible rows, Enter opens a row's chart.
// Page-wide: / focuses the filter, w toggles the watch list, Escape closes the chart.

const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) && t.type !== 'checkbox';

/**
 * `tbody`, `filter`, `watchOnly`: the page's elements; `open(symbol, row)` and `close()` the chart;
 * `chartOpen()` whether one is open. Returns focusRow(tr) and ensureTabStop() for the table's owner.
 */
export function installKeyboard({ tbody, filter, watchOnly, open, close, chartOpen }) {
  let roving = null;

  function makeStop(tr) {
    if (roving && roving !== tr) roving.tabIndex = -1;
    roving = tr; tr.tabIndex = 0;
  }
  function focusRow(tr) { makeStop(tr); tr.focus({ preventScroll: false }); }
  const visibleRows = () => [...tbody.children].filter((tr) => !tr.hidden);

  /** After filtering or re-ordering: the stop must be a visible row. */
  function ensureTabStop() {
    if (roving && roving.parentNode === tbody && !roving.hidden) return;
    const first = visibleRows()[0];
    if (first) makeStop(first);
  }

  tbody.addEventListener('keydown', (e) => {
    const tr = e.target.closest('tr');
    if (!tr || e.target !== tr) return; // keys on the star button are the button's
    const list = visibleRows();
    const i = list.indexOf(tr);
    let to = null;
    if (e.key === 'ArrowDown') to = list[Math.min(list.length - 1, i + 1)];
    else if (e.key === 'ArrowUp') to = list[Math.max(0, i - 1)];
    else if (e.key === 'Home') to = list[0];
    else if (e.key === 'End') to = list[list.length - 1];
    else if (e.key === 'Enter') { e.preventDefault(); open(tr.dataset.symbol, tr); return; }
    else return;
    e.preventDefault();
    if (to) focusRow(to);
  });
  // a click or Tab into a row (or its star) makes it the stop
  tbody.addEventListener('focusin', (e) => { const tr = e.target.closest('tr'); if (tr && tr !== roving) makeStop(tr); });

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    // Escape in a filter with text clears it (its own handler, which prevents the default) before closing anything
    if (e.key === 'Escape' && chartOpen()) { e.preventDefault(); close(); return; }
    if (typing(e.target)) return;
    if (e.key === '/') { e.preventDefault(); filter.focus(); filter.select(); }
    else if (e.key === 'w' || e.key === 'W') { e.preventDefault(); watchOnly.click(); }
  });

  return { focusRow, ensureTabStop };
}

// The open chart lives in the URL fragment (#ACME), so that a link or a reload opens it again and the
// back button closes it. The fragment never reaches the server. A token fragment (#token=...) is
// taken out of the address bar before this is read.

const SYMBOL = /^[A-Z0-9][A-Z0-9.\-]{0,15}$/;

/** The symbol a fragment names, upper-cased, or null. */
export function symbolFromHash(hash) {
  let h = (hash || '').replace(/^#/, '');
  try { h = decodeURIComponent(h); } catch (e) { return null; }
  h = h.toUpperCase();
  return SYMBOL.test(h) ? h : null;
}

/**
 * The chart view follows the fragment: opening sets it (a history entry, so Back closes), and every
 * change of it, the page's own, a link's, Back or Forward, opens or closes the view to match.
 * `chart`: chart.js's view; `view`: its element; `rowOf(symbol)`: the symbol's row element or null;
 * `focusRow(tr)` gives a row the focus back when the view closes.
 */
export function installChartRoute({ chart, view, rowOf, focusRow }) {
  let pushed = false; // this page added the fragment's history entry: closing goes back over it
  let from = null;    // the row that opened the chart gets the focus back

  function open(sym, fromRow) {
    from = fromRow || null;
    if (symbolFromHash(location.hash) === sym) { sync(); return; }
    if (chart.symbol) { // one chart entry over the table's: Back (or Escape) returns to the table, not to the previous chart
      history.replaceState(null, '', '#' + encodeURIComponent(sym));
      sync();
      return;
    }
    pushed = true;
    location.hash = encodeURIComponent(sym);
  }

  function close() {
    if (!chart.symbol) return;
    if (pushed) { pushed = false; history.back(); return; } // hashchange closes the view
    history.replaceState(null, '', location.pathname + location.search);
    sync();
  }

  /** Opens or closes the view as the fragment says (at start: a link or a reload with #SYMBOL). */
  function sync() {
    const sym = symbolFromHash(location.hash);
    if (sym) {
      const was = chart.symbol;
      chart.open(sym);
      // a user's click or Enter takes the focus into the view; a link or a reload leaves it where it is
      if (was !== sym && from) view.focus({ preventScroll: true });
    } else if (chart.symbol) {
      const back = from || rowOf(chart.symbol);
      chart.close();
      pushed = false;
      if (back && document.contains(back) && !back.hidden) focusRow(back);
      from = null;
    }
  }

  window.addEventListener('hashchange', () => { if (!symbolFromHash(location.hash)) pushed = false; sync(); });
  view.addEventListener('chart-close-request', close);
  return { open, close, sync };
}

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

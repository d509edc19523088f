// Number and time formats in the user's locale; Intl formatters are costly to build, so they are cached.

const cache = new Map();
function nf(dec, signed) {
  const k = dec + (signed ? 's' : '');
  let f = cache.get(k);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { minimumFractionDigits: dec, maximumFractionDigits: dec, signDisplay: signed ? 'exceptZero' : 'auto' });
    cache.set(k, f);
  }
  return f;
}

export const DASH = '—';
export const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
export const fPrice = (x, dec) => (isNum(x) ? nf(dec).format(x) : DASH);
export const fSigned = (x, dec) => (isNum(x) ? nf(dec, true).format(x) : DASH);
export const fPct = (x) => (isNum(x) ? nf(2, true).format(x) + '%' : DASH);
export const fVol = (x) => (isNum(x) ? nf(0).format(x) : DASH);

/** Decimals to show for a price: those it has on the wire, 2 to 4 (prices come rounded to their tick). */
export function decimalsOf(x) {
  if (!isNum(x)) return 2;
  const s = String(x); const i = s.indexOf('.');
  if (i < 0 || s.includes('e')) return 2;
  return Math.min(4, Math.max(2, s.length - i - 1));
}

export const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const minuteFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

// What the user chose, kept across visits. localStorage may throw (private mode, storage disabled):
// the page then works with defaults.

export const KEYS = Object.freeze({
  watch: 'quotecast.watch', watchOnly: 'quotecast.watchOnly', sort: 'quotecast.sort', filter: 'quotecast.filter',
  chartInterval: 'quotecast.chartInterval',
});

export const store = {
  get(key, fallback) {
    try { const v = localStorage.getItem(key); return v == null ? fallback : JSON.parse(v); } catch (e) { return fallback; }
  },
  set(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* ignore */ } },
};

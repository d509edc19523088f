// Injected with Page.addScriptToEvaluateOnNewDocument, so it runs before any page script:
// samples requestAnimationFrame deltas for the first N ms after navigation and records long tasks.
// __probe.measure(ms) starts a fresh window later on, e.g. once a chart is open.
(() => {
  if (window.top !== window) return;
  const probe = { frames: [], longTasks: [], done: false, longTaskSupported: false, start: 0, from: 0, duration: 5000 };
  Object.defineProperty(window, '__probe', { value: probe, configurable: false, enumerable: false });
  try {
    const po = new PerformanceObserver((list) => {
      // long task start times are relative to navigation, as `from` is
      if (!probe.done) for (const e of list.getEntries()) if (e.startTime >= probe.from) probe.longTasks.push({ start: Math.round(e.startTime - probe.from), duration: Math.round(e.duration) });
    });
    po.observe({ type: 'longtask', buffered: true });
    probe.longTaskSupported = true;
  } catch (e) { /* longtask unsupported */ }
  let last = -1;
  const tick = (t) => {
    if (last < 0) probe.start = t; else probe.frames.push(t - last);
    last = t;
    if (t - probe.start < probe.duration) requestAnimationFrame(tick); else probe.done = true;
  };
  probe.measure = (ms) => {
    probe.frames = []; probe.longTasks = []; probe.done = false; probe.duration = ms;
    probe.from = performance.now(); last = -1;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();

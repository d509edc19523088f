// Injected with Page.addScriptToEvaluateOnNewDocument, so it runs before any page script:
// samples requestAnimationFrame deltas for the first N ms after navigation and records long tasks.
(() => {
  if (window.top !== window) return;
  const DURATION = 5000;
  const probe = { frames: [], longTasks: [], done: false, longTaskSupported: false, start: 0 };
  Object.defineProperty(window, '__probe', { value: probe, configurable: false, enumerable: false });
  try {
    const po = new PerformanceObserver((list) => {
      if (!probe.done) for (const e of list.getEntries()) probe.longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
    });
    po.observe({ type: 'longtask', buffered: true });
    probe.longTaskSupported = true;
  } catch (e) { /* longtask unsupported */ }
  let last = -1;
  const tick = (t) => {
    if (last < 0) probe.start = t; else probe.frames.push(t - last);
    last = t;
    if (t - probe.start < DURATION) requestAnimationFrame(tick); else probe.done = true;
  };
  requestAnimationFrame(tick);
})();

// The frame loop: every DOM write of the page happens here, at most once per animation frame. Any
// number of schedule() calls before the next frame make one frame; in it, each part runs once, in
// the order added, and a part that answers true (work left, e.g. a row drawn too recently) gets
// another frame.

/**
 * `stats`: the page's counters (frames, renderMsMax, renderMsTotal are counted here);
 * `raf`: requestAnimationFrame, or a stand-in.
 */
export function createFrameLoop({ stats, raf = (f) => requestAnimationFrame(f) }) {
  const parts = [];
  let pending = false;

  function schedule() {
    if (!pending) { pending = true; raf(frame); }
  }

  function frame(now) {
    pending = false;
    const t0 = performance.now();
    stats.frames++;
    let left = false;
    for (const part of parts) if (part(now)) left = true;
    if (left) schedule();
    const dt = performance.now() - t0;
    stats.renderMsTotal += dt;
    if (dt > stats.renderMsMax) stats.renderMsMax = dt;
  }

  return {
    schedule,
    /** `part(now)` runs in every frame, after the parts added before it; answers whether it has work left. */
    add(part) { parts.push(part); },
  };
}

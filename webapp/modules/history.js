// `history` requests on one connection: paced below the server's message rate, and each answer
// handed to whoever asked. Answers (bars, or an error naming the history action) come back in the
// order of the requests, so each request leaves its consumer in a queue and each answer goes to the
// first; the symbol cannot tell, since the sparklines and the chart may both ask a symbol's 1 s bars.

// The server takes connection.maxMessagesPerSecond (default 20) messages a second, in bursts of twice
// that; history requests are paced well below it, so that even a reconnect that resubscribes and asks
// the history of all 50 symbols again never meets rate_limited.
const BURST = 30;       // requests sent at once on a fresh connection (+ subscribe, list)
const PER_SECOND = 10;  // then at most this many a second

/** `send(message)` sends on the open connection and answers whether it could. */
export function createHistoryRequests(send) {
  let tokens = BURST, tokensAt = Date.now();
  let waiting = [];           // consumers of the answers to come, in request order
  const queue = new Map();    // key -> () => request or null (no longer wanted): waits for a token
  let pump = null;

  function refill() {
    const now = Date.now();
    tokens = Math.min(BURST, tokens + (now - tokensAt) * PER_SECOND / 1000);
    tokensAt = now;
  }

  function request(r) {
    if (!send({ action: 'history', symbol: r.symbol, interval: r.interval, limit: r.limit })) return false;
    waiting.push(r.consumer);
    return true;
  }

  function drain() {
    pump = null;
    refill();
    for (const [key, make] of queue) {
      if (tokens < 1) break;
      const r = make();
      if (r && !request(r)) return; // no connection: opened() goes on with the queue on the next one
      queue.delete(key);
      if (r) tokens -= 1;
    }
    if (queue.size) pump = setTimeout(drain, Math.ceil(1000 / PER_SECOND));
  }

  return {
    /** Paced: `make()` is called when a token is free and returns {symbol, interval, limit, consumer}, or null. */
    enqueue(key, make) { queue.set(key, make); if (!pump) drain(); },
    /** At once (a user's action), counted in the same budget. */
    now(symbol, interval, limit, consumer) {
      refill();
      tokens -= 1;
      return request({ symbol, interval, limit, consumer });
    },
    /** A `bars` message (error null) or an `error` whose action is history. */
    answer(message, error) { const consumer = waiting.shift(); if (consumer) consumer(message, error); },
    /** A new connection: a full budget, like the server's bucket. */
    opened() { tokens = BURST; tokensAt = Date.now(); if (queue.size && !pump) drain(); },
    /** The answers of a closed connection will not come on another. */
    closed() { waiting = []; clearTimeout(pump); pump = null; },
  };
}

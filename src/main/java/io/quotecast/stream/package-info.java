/**
 * The fan-out: each tick encoded once ({@link io.quotecast.stream.QuoteHub}) and handed to every
 * subscribed connection's bounded outbox ({@link io.quotecast.stream.Subscriber}), which sends it
 * through a {@link io.quotecast.stream.FrameSink} without ever making the feed wait.
 *
 * <p>Its rules: it depends on {@code market} only, never on a transport (no WebSocket, servlet,
 * Tyrus or Grizzly type: the transport comes in as a {@code FrameSink} and a
 * {@link io.quotecast.stream.QuoteFormat}); its threads and clock are passed in, so that tests run
 * it on a manual timer; and each connection's state is guarded by that connection's one lock, held
 * for no call into the transport (the lock rule: {@link io.quotecast.stream.Subscriber}). Nothing is
 * allocated or locked per quote per client beyond that lock.
 */
package io.quotecast.stream;

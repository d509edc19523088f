/**
 * The fan-out: each tick encoded once ({@link io.quotecast.stream.QuoteHub}) and handed to every
 * subscribed connection's bounded outbox ({@link io.quotecast.stream.Subscriber}), which sends it
 * through a {@link io.quotecast.stream.FrameSink} without ever making the feed wait.
 *
 * <p>One job a class. The hub's side: {@code QuoteHub} takes ticks in and answers subscribe, resume,
 * unsubscribe, a new feed run and a stale feed; {@code SubscriptionRegistry} knows who is subscribed to
 * what; {@code TickMemory} keeps each symbol's latest quote and last ticks (a subscription's first
 * frames); {@code FanOut} hands a frame to the outboxes and drains them, gathered per feed batch;
 * {@code StuckSweep} closes clients that stopped reading; {@code HubThreads} and {@code Scheduler} are
 * where all of it runs. A connection's side: {@code Subscriber} orchestrates, under its one lock,
 * {@code Subscriptions} (what it is subscribed to, from which seq), {@code Outbox} and
 * {@code LiveQuotes} (what waits), {@code Pacer} and {@code PacedRelease} ({@code maxRate}) and
 * {@code SendLoop} (the one write in flight).
 *
 * <p>Its rules: it depends on {@code market} only, never on a transport (no WebSocket, servlet,
 * Tyrus or Grizzly type: the transport comes in as a {@code FrameSink} and a
 * {@link io.quotecast.stream.QuoteFormat}); its threads and clock are passed in, so that tests run
 * it on a manual timer; and each connection's state is guarded by that connection's one lock, held
 * for no call into the transport (the lock rule: {@link io.quotecast.stream.Subscriber}). Nothing is
 * allocated or locked per quote per client beyond that lock.
 *
 * <p>{@link io.quotecast.stream.WireFormat} names RFC 6455's bytes once (opcodes, the FIN bit, the
 * payload-length markers) and builds a tick's frame from them, so that the frame is encoded once for
 * every client: a byte format, not a transport, since nothing in it opens, writes to or knows a
 * connection; the write paths that can take bytes already framed are in the transport packages.
 */
package io.quotecast.stream;

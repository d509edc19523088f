/**
 * The Java client of the quotecast.v1 stream: {@link io.quotecast.client.QuotecastClient} connects,
 * subscribes, and keeps the stream whole across dropped connections and server restarts (reconnect
 * with backoff and jitter, resume with {@code since} and {@code epoch}, tokens refreshed with
 * {@code auth} before they expire), telling the application of gaps, stale quotes and new epochs.
 *
 * <p>Its rule: it is shipped alone, as {@code quotecast-client.jar}, so it names nothing of the server but
 * the protocol's value types {@code market.Quote}, {@code market.Bar} and {@code protocol.ErrorCode}
 * (which the jar carries; they name nothing of ours), and of the transport only the Jakarta WebSocket
 * client API (PackageRulesTest, ClientPackagingIT). Its logic runs on one thread against two seams,
 * {@code Transport} and {@code ClientScheduler}, so that it is unit-tested in memory.
 */
package io.quotecast.client;

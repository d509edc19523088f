/**
 * Where a node's ticks come from: the simulated market in this process ({@link io.quotecast.cluster.LocalFeed}),
 * the same market publishing every tick to an ActiveMQ Artemis broker ({@link io.quotecast.cluster.PublishingFeed}),
 * or the broker alone ({@link io.quotecast.cluster.BrokerFeed}). Every {@link io.quotecast.cluster.TickSource}
 * hands ticks to one {@link io.quotecast.cluster.TickListener}; the hub never knows which source it has.
 *
 * <p>Its rule: {@code seq} and {@code epoch} are assigned only by the market that produced the tick; a
 * subscribing node passes them on as they came and never renumbers, so a tick is the same on every node.
 * The feed thread never waits on the broker: publishing happens on a thread of its own, behind a bounded
 * queue. Jakarta Messaging and Artemis types stay in this package.
 */
package io.quotecast.cluster;

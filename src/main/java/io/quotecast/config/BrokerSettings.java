package io.quotecast.config;

import static io.quotecast.config.Settings.require;

/**
 * {@code broker.*}: the ActiveMQ Artemis broker that carries ticks between the nodes of a cluster
 * (used when {@code feed.mode} is publish or subscribe; docs/cluster.md).
 *
 * @param url      {@code broker.url}, an Artemis core protocol URL
 * @param user     {@code broker.user}
 * @param password {@code broker.password}
 * @param address  {@code broker.address}, the multicast address of the ticks
 * @param embedded {@code broker.embedded}: run an Artemis in this process
 */
public record BrokerSettings(String url, String user, String password, String address, boolean embedded) {

    public BrokerSettings {
        require(!address.isEmpty(), "broker.address must not be empty");
    }

    /** Never shows the password: settings end up in logs. */
    @Override
    public String toString() {
        return "BrokerSettings[url=" + url + ", user=" + user + ", password=" + Settings.hidden(password)
                + ", address=" + address + ", embedded=" + embedded + "]";
    }
}

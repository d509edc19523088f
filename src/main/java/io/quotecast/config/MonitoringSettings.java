package io.quotecast.config;

import static io.quotecast.config.Settings.require;

/**
 * {@code management.port}, {@code metrics.enabled} and {@code health.*}: how a node is watched from outside.
 * Three prefixes of one setting or so each, kept in one group rather than three one-field records.
 *
 * @param managementPort          {@code management.port} (-1: on server.port; 0: any free port)
 * @param metricsEnabled          {@code metrics.enabled}
 * @param healthMaxTickAgeSeconds {@code health.maxTickAgeSeconds}
 */
public record MonitoringSettings(int managementPort, boolean metricsEnabled, int healthMaxTickAgeSeconds) {

    public MonitoringSettings {
        require(managementPort >= -1 && managementPort <= 65535, "management.port must be -1 (off), 0 (any free port) or a port");
        require(healthMaxTickAgeSeconds > 0, "health.maxTickAgeSeconds must be > 0");
    }
}

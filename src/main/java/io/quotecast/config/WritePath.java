package io.quotecast.config;

import java.util.Locale;

/**
 * {@code connection.writePath}: whether a container's faster write path may be used where Quotecast has
 * one, or only the portable Jakarta WebSocket API. An operator picks {@link #PORTABLE} to rule the
 * container-specific code out, for instance when a server upgrade changed the internals it relies on.
 */
public enum WritePath {
    /** The container's accelerated path where there is one, the portable path elsewhere. */
    AUTO,
    /** The Jakarta WebSocket API only, on every server. */
    PORTABLE;

    /** The setting's value as written in the properties file. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}

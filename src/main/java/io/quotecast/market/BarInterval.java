package io.quotecast.market;

import java.util.Arrays;
import java.util.Optional;

/** The bar lengths the market keeps history for, with their wire names. */
public enum BarInterval {
    SECOND("1s", 1_000),
    MINUTE("1m", 60_000);

    private final String wireName;
    private final long millis;

    BarInterval(String wireName, long millis) {
        this.wireName = wireName;
        this.millis = millis;
    }

    public String wireName() {
        return wireName;
    }

    /** The start of the bar holding {@code timestamp}. */
    long barStart(long timestamp) {
        return Math.floorDiv(timestamp, millis) * millis;
    }

    public static Optional<BarInterval> fromWireName(String name) {
        return Arrays.stream(values()).filter(interval -> interval.wireName.equals(name)).findFirst();
    }
}

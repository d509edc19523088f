package io.quotecast.market;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.random.RandomGenerator;

/**
 * The trading day so far of one simulated symbol. Prices are kept as whole ticks so that every
 * price the feed prints lies exactly on the symbol's tick grid.
 */
final class SimulatedSymbol {

    /** Standard deviation of one tick's log return: about 0.08 %, a lively but believable stock. */
    private static final double VOLATILITY = 0.0008;
    /** Pull towards the open, so a long-running demo drifts but never runs away. */
    private static final double MEAN_REVERSION = 0.002;
    /** Half the bid/ask spread, as a fraction of the price (at least one tick). */
    private static final double HALF_SPREAD = 0.0002;
    private static final int LOT = 100;

    private final Symbol symbol;
    private final BigDecimal tickSize;
    private final long previousCloseTicks;
    private final long openTicks;
    private long priceTicks;
    private long highTicks;
    private long lowTicks;
    private long volume;
    private long seq;

    SimulatedSymbol(Symbol symbol, RandomGenerator random) {
        this.symbol = symbol;
        this.tickSize = symbol.tickSize();
        this.previousCloseTicks = Math.max(2, toTicks(symbol.previousClose()));
        // The overnight gap: the day opens within about a percent of yesterday's close.
        this.openTicks = Math.max(2, Math.round(previousCloseTicks * Math.exp(0.006 * random.nextGaussian())));
        this.priceTicks = openTicks;
        this.highTicks = openTicks;
        this.lowTicks = openTicks;
    }

    /** The day's opening print: seq 1, at the open price. */
    Quote open(RandomGenerator random, long timestamp) {
        return trade(openTicks, random, timestamp);
    }

    /** The next tick of the random walk. */
    Quote next(RandomGenerator random, long timestamp) {
        double drift = -MEAN_REVERSION * Math.log((double) priceTicks / openTicks);
        long next = Math.round(priceTicks * Math.exp(drift + VOLATILITY * random.nextGaussian()));
        if (next == priceTicks && random.nextBoolean()) {
            // A cheap stock would otherwise sit still on its tick; real ones flicker by one tick.
            next += random.nextBoolean() ? 1 : -1;
        }
        return trade(Math.max(2, next), random, timestamp);
    }

    private Quote trade(long newPriceTicks, RandomGenerator random, long timestamp) {
        priceTicks = newPriceTicks;
        highTicks = Math.max(highTicks, priceTicks);
        lowTicks = Math.min(lowTicks, priceTicks);
        volume += (long) LOT * (1 + random.nextInt(20));
        seq++;
        long halfSpread = Math.max(1, Math.round(priceTicks * HALF_SPREAD));
        BigDecimal price = toPrice(priceTicks);
        BigDecimal previousClose = toPrice(previousCloseTicks);
        BigDecimal change = price.subtract(previousClose);
        BigDecimal changePercent = change.multiply(BigDecimal.valueOf(100))
                .divide(previousClose, 3, RoundingMode.HALF_UP);
        return new Quote(symbol.ticker(), price,
                toPrice(Math.max(1, priceTicks - halfSpread)), toPrice(priceTicks + halfSpread),
                toPrice(openTicks), toPrice(highTicks), toPrice(lowTicks), previousClose,
                change, changePercent, volume, seq, timestamp);
    }

    private long toTicks(BigDecimal price) {
        return price.divide(tickSize, 0, RoundingMode.HALF_UP).longValueExact();
    }

    private BigDecimal toPrice(long ticks) {
        return tickSize.multiply(BigDecimal.valueOf(ticks));
    }
}

/**
 * Settings: the defaults in {@code config/quotecast.properties}, each overridden by a system property
 * of the same name, read by {@link io.quotecast.config.Settings#load()} and nowhere else.
 *
 * <p>{@code Settings} is a record of one record per concern, and the concerns are the properties' own
 * prefixes ({@code server}, {@code feed}, {@code connection}, {@code history}, {@code security},
 * {@code broker}): the property names are the operator's contract, listed in docs/settings.md, so
 * the code follows them rather than a second naming an operator never sees. {@code connection.flushMillis}
 * is {@code settings.connection().flushMillis()}; a reader who knows one knows the other. The three
 * one-setting prefixes of watching a node ({@code management}, {@code metrics}, {@code health}) share
 * {@link io.quotecast.config.MonitoringSettings}. Each group checks its own values where it is built; a
 * rule across groups (an embedded broker only on the publishing node) is checked by {@code Settings}.
 * Modes are enums ({@link io.quotecast.config.FeedMode}, {@link io.quotecast.config.TokenMode},
 * {@link io.quotecast.config.WritePath}) whose setting value is the constant's name in lower case.
 *
 * <p>Its rule: plain Java that only reads and checks values; it depends on no other Quotecast package
 * and no transport, which is why the modes other packages switch on live here.
 */
package io.quotecast.config;

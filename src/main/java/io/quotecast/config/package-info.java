/**
 * Settings: the defaults in {@code config/quotecast.properties}, each overridden by a system property
 * of the same name.
 *
 * <p>Its rule: plain Java that only reads and checks values; it depends on no other Quotecast package
 * and no transport.
 */
package io.quotecast.config;

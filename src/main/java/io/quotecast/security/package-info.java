/**
 * Who may connect and what they may see: the Origin policy, verification of the signed tokens (JWT,
 * through nimbus-jose-jwt) presented at the handshake, and per-symbol entitlements.
 *
 * <p>Plain Java with no transport: the standalone server, the WAR's filter and the WebSocket handshake
 * configurator hand it what they read from a request ({@link io.quotecast.security.HandshakeFacts}) and
 * act on its {@link io.quotecast.security.Verdict}. It never logs a token.
 */
package io.quotecast.security;

/**
 * The WAR's wiring: a servlet context listener starts and stops the application and deploys the quote
 * stream into the container's {@code ServerContainer}, filters guard the handshake and set the
 * security headers, servlets answer health and metrics; all of them find the application in the
 * servlet context.
 *
 * <p>Its rule: the Jakarta servlet and WebSocket APIs only, never a container's type (the WAR runs on
 * any Jakarta EE server); it offers the deployment the accelerated write paths the WAR ships
 * ({@code websocket.tyrus}, {@code websocket.undertow}) through their factories, which name no
 * container type themselves; nothing else depends on it.
 */
package io.quotecast.web;

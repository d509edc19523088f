/**
 * The WAR's wiring: a servlet context listener starts and stops the application, filters guard the
 * handshake and set the security headers, servlets answer health and metrics.
 *
 * <p>Its rule: the Jakarta servlet API only, never Tyrus or Grizzly (the WAR runs on any Jakarta EE
 * server); nothing else depends on it.
 */
package io.quotecast.web;

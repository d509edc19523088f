package io.quotecast.web;

import io.quotecast.security.PageHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The WAR's dashboard with the same headers as the standalone server's ({@link PageHeaders}), and
 * UTF-8 named in its {@code Content-Type}: the container's default servlet serves the files.
 */
@WebFilter(filterName = "quotecast-security-headers", urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // not on a WebSocket handshake; but on any other request, whatever it carries (an HTTP client
        // may offer "Upgrade: h2c" on an ordinary GET, and the page must get its headers all the same)
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            PageHeaders.ALL.forEach(response::setHeader);
            // set before the default servlet picks the type, so that the container names the charset with it
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        }
        chain.doFilter(request, response);
    }
}

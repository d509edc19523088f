package io.quotecast.web;

import io.quotecast.security.PageHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

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
            // and where the container sets a text type without it all the same (Open Liberty's file servlet)
            chain.doFilter(request, new Utf8TextResponse(response));
            return;
        }
        chain.doFilter(request, response);
    }

    /** Names UTF-8 in a {@code text/*} Content-Type that comes without a charset; every file of the page is UTF-8. */
    private static final class Utf8TextResponse extends HttpServletResponseWrapper {

        Utf8TextResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setContentType(String type) {
            super.setContentType(withCharset(type));
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, "Content-Type".equalsIgnoreCase(name) ? withCharset(value) : value);
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, "Content-Type".equalsIgnoreCase(name) ? withCharset(value) : value);
        }

        private static String withCharset(String type) {
            if (type == null || !type.regionMatches(true, 0, "text/", 0, 5) || type.toLowerCase(java.util.Locale.ROOT).contains("charset=")) {
                return type;
            }
            return type + ";charset=UTF-8";
        }
    }
}

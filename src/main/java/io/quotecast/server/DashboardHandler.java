package io.quotecast.server;

import io.quotecast.security.PageHeaders;
import org.glassfish.grizzly.http.server.CLStaticHttpHandler;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.util.HttpStatus;

import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;

/**
 * The dashboard's files from {@code webapp/} on the classpath, and the browser libraries of WebJars
 * under {@code /webjars/} (from {@code META-INF/resources/webjars/}, where a Servlet 3 container finds
 * them in the WAR too), each with {@link PageHeaders} and a charset. A path that tries to climb out of the web root gets 404 and one log line: Grizzly's own
 * handling answered 500 and logged a stack trace per request, a cheap way to flood the log.
 *
 * <p>{@code HEAD} is answered as {@code GET} is, without the body (RFC 9110, 9.3.2): the same status,
 * headers, {@code Content-Type} and {@code Content-Length}. Grizzly's static handler knows only
 * {@code GET} (405 for the rest), so a file's {@code HEAD} is answered here from the file's size; the
 * routes ({@code /health}, {@code /metrics}) write their body as for {@code GET}, and Grizzly drops it
 * on the way out of a {@code HEAD}, keeping its length.
 */
final class DashboardHandler extends CLStaticHttpHandler {

    private static final System.Logger LOG = System.getLogger(DashboardHandler.class.getName());
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml;charset=utf-8",
            "json", "application/json;charset=utf-8");

    private static final String WEBJARS = "/webjars/";
    /** Where the files of the two roots are on the classpath (as the two static handlers' roots). */
    private static final String WEB_ROOT = "webapp";
    private static final String WEBJARS_ROOT = "META-INF/resources/webjars";
    private static final String WELCOME = "index.html";

    /** Handlers that answer an exact path instead of a file, e.g. {@code /health}. */
    private final Map<String, HttpHandler> routes;

    /**
     * A root of its own, rather than META-INF/resources/ as a second root of this one: only what WebJars
     * put under webjars/ is served, not whatever else some jar on the standalone classpath keeps there.
     */
    private final WebJars webJars = new WebJars();

    /**
     * {@code routes}: handlers for exact paths, served by this handler rather than registered beside
     * it: with more than one handler Grizzly maps every path first, and its mapper answers a path
     * that climbs out of the web root with 500 before any handler of ours sees it.
     */
    DashboardHandler(Map<String, HttpHandler> routes) {
        super(DashboardHandler.class.getClassLoader(), "/webapp/");
        this.routes = Map.copyOf(routes);
        // Grizzly's file cache answers from a filter below this handler, without its headers; the files are small
        setFileCacheEnabled(false);
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        PageHeaders.ALL.forEach(response::setHeader);
        String rawPath = request.getRequest().getRequestURIRef().getOriginalRequestURIBC().toString();
        if (PageHeaders.isTraversal(rawPath)) {
            LOG.log(System.Logger.Level.INFO, "404 for a path outside the web root from {0}: {1}",
                    request.getRemoteAddr(), printable(rawPath));
            notFound(response);
            return;
        }
        String path = request.getDecodedRequestURI();
        HttpHandler route = routes.get(path);
        if (route != null) {
            route.service(request, response);
            return;
        }
        String file = path.endsWith("/") ? "index.html" : path.substring(path.lastIndexOf('/') + 1);
        String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        if (type != null) {
            response.setContentType(type);
        }
        if (Method.HEAD.equals(request.getMethod())) {
            head(request, response);
            return;
        }
        super.service(request, response);
    }

    /**
     * A file's {@code HEAD}: what its {@code GET} would answer (status, type, length), with no body;
     * 404 as {@code GET}'s for what {@code GET} would not find.
     */
    private void head(Request request, Response response) throws Exception {
        String path = getRelativeURI(request);
        URL resource = path == null ? null : resource(path);
        long length = resource == null ? -1 : lengthOf(resource);
        if (length < 0 && path != null && !path.endsWith("/")) {
            // a folder named without its slash: GET serves its welcome file, if it has one
            resource = resource(path + "/");
            length = resource == null ? -1 : lengthOf(resource);
        }
        if (length < 0) {
            notFound(response);
            return;
        }
        response.setStatus(HttpStatus.OK_200);
        pickupContentType(response, resource.getPath());
        response.setContentLengthLong(length);
        response.addDateHeader(Header.Date, System.currentTimeMillis());
    }

    /** Where the file of {@code path} is on the classpath, in the web root or a WebJar; null if nowhere. */
    private static URL resource(String path) {
        String file = path.endsWith("/") ? path + WELCOME : path;
        String name = file.startsWith(WEBJARS) ? WEBJARS_ROOT + file.substring(WEBJARS.length() - 1) : WEB_ROOT + file;
        return DashboardHandler.class.getClassLoader().getResource(name);
    }

    /** The size of the file at {@code resource}; -1 if it is a folder or cannot be read. */
    private static long lengthOf(URL resource) throws IOException {
        if ("file".equals(resource.getProtocol())) {
            try {
                File file = new File(resource.toURI());
                return file.isFile() ? file.length() : -1;
            } catch (URISyntaxException | IllegalArgumentException e) {
                return -1;
            }
        }
        URLConnection connection = resource.openConnection();
        if (connection instanceof JarURLConnection jar) {
            // the JDK's cached JarFile, as GET's handler reads it: nothing to close
            JarEntry entry = jar.getJarEntry();
            return entry == null || entry.isDirectory() ? -1 : entry.getSize();
        }
        return connection.getContentLengthLong();
    }

    @Override
    protected boolean handle(String resourcePath, Request request, Response response) throws Exception {
        if (resourcePath.startsWith(WEBJARS)) {
            return webJars.serve(resourcePath.substring(WEBJARS.length() - 1), request, response);
        }
        return super.handle(resourcePath, request, response);
    }

    @Override
    protected void onMissingResource(Request request, Response response) throws Exception {
        notFound(response);
    }

    private static void notFound(Response response) throws IOException {
        byte[] body = "404 not found\n".getBytes(StandardCharsets.UTF_8);
        response.setStatus(404);
        response.setContentType("text/plain;charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String printable(String value) {
        String clean = value.replaceAll("[\\p{Cntrl}]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }

    /** The WebJars' files; {@code handle} is protected, hence a subclass to reach it. */
    private static final class WebJars extends CLStaticHttpHandler {

        WebJars() {
            super(DashboardHandler.class.getClassLoader(), "/META-INF/resources/webjars/");
            setFileCacheEnabled(false);
        }

        boolean serve(String path, Request request, Response response) throws Exception {
            return handle(path, request, response);
        }
    }
}

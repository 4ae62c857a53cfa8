package dev.weft.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes every request be handled as the method it was sent with: method-override headers are hidden from
 * everything behind this filter. Javalin routes by {@code X-HTTP-Method-Override} when present (its
 * {@code Context.method()} reads it, with no setting to turn that off), while checks such as the session
 * filter's CSRF rule look at the real method; hiding the headers at the front keeps the two from disagreeing.
 * Weft never reads a {@code _method} parameter, so nothing else can change the method.
 */
public final class RealMethodFilter implements Filter {

    /** Header names that frameworks and proxies use to override a request's method (lower case). */
    public static final Set<String> OVERRIDE_HEADERS = Set.of("x-http-method-override", "x-http-method",
            "x-method-override");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && carriesOverride(http)) {
            request = new WithoutOverride(http);
        }
        chain.doFilter(request, response);
    }

    private static boolean carriesOverride(HttpServletRequest http) {
        for (String name : OVERRIDE_HEADERS) {
            if (http.getHeader(name) != null) return true;
        }
        return false;
    }

    private static boolean hidden(String name) {
        return name != null && OVERRIDE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The request as the application sees it: the same, without its method-override headers. */
    private static final class WithoutOverride extends HttpServletRequestWrapper {

        WithoutOverride(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(RealMethodFilter::hidden);
            return Collections.enumeration(names);
        }
    }
}

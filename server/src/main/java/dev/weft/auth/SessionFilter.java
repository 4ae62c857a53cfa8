package dev.weft.auth;

import dev.weft.store.JdbcUserStore;
import dev.weft.store.SessionRecord;
import dev.weft.store.UserRecord;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lets a signed-in browser use the API: a request to {@code /api/*} that carries no {@code Authorization} header
 * but a live session cookie is passed on as if it carried the admin token, so every credential check accepts the
 * session without knowing about it, and with the {@link Member} it came from as a request attribute, which
 * {@link RoutePolicy} checks against the route's permission before any handler runs. A request that changes
 * something must also carry the session's CSRF token in {@value #CSRF_HEADER}; without it the request goes on
 * without credentials (401).
 */
public final class SessionFilter implements Filter {

    public static final String COOKIE = "weft_session";
    public static final String CSRF_HEADER = "X-Weft-Csrf";
    /** A request attribute set on requests the session let through: who did it ("admin session") is recorded. */
    public static final String SESSION_ATTRIBUTE = "weft.session";
    /** A request attribute holding the {@link Member} whose session let the request through. */
    public static final String MEMBER_ATTRIBUTE = "weft.member";
    private static final String AUTHORIZATION = "Authorization";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Sessions sessions;
    private final JdbcUserStore users;
    private final AdminToken admin;

    public SessionFilter(Sessions sessions, JdbcUserStore users, AdminToken admin) {
        this.sessions = sessions;
        this.users = users;
        this.admin = admin;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getHeader(AUTHORIZATION) == null) {
            Optional<SessionRecord> session = sessions.find(cookie(http));
            if (session.isPresent() && allowed(http, session.get())) {
                Optional<Member> member = member(session.get());
                if (member.isPresent()) {
                    request = new WithAuthorization(http, "Bearer " + admin.value());
                    request.setAttribute(SESSION_ATTRIBUTE, Boolean.TRUE);
                    request.setAttribute(MEMBER_ATTRIBUTE, member.get());
                }
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * The member a live session belongs to, with their role in the session's current workspace; empty when they
     * have no role there.
     */
    Optional<Member> member(SessionRecord session) {
        Optional<UserRecord> user = users.find(session.userId(), session.workspaceId());
        if (user.isEmpty() || user.get().disabled()) return Optional.empty();
        MemberRole role = MemberRole.of(user.get().role());
        return role == null ? Optional.empty()
                : Optional.of(new Member(user.get().id(), user.get().email(), role, session.id(), session.workspaceId()));
    }

    private static boolean allowed(HttpServletRequest http, SessionRecord session) {
        if (SAFE_METHODS.contains(http.getMethod())) return true;
        String given = http.getHeader(CSRF_HEADER);
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8));
    }

    /** The session cookie's value, or null. */
    public static String cookie(HttpServletRequest http) {
        Cookie[] cookies = http.getCookies();
        if (cookies == null) return null;
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName())) return cookie.getValue();
        }
        return null;
    }

    /** The request as the API sees it: the same, plus an {@code Authorization} header. */
    private static final class WithAuthorization extends HttpServletRequestWrapper {

        private final String authorization;

        WithAuthorization(HttpServletRequest request, String authorization) {
            super(request);
            this.authorization = authorization;
        }

        @Override
        public String getHeader(String name) {
            return AUTHORIZATION.equalsIgnoreCase(name) ? authorization : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return AUTHORIZATION.equalsIgnoreCase(name) ? Collections.enumeration(List.of(authorization))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
            names.add(AUTHORIZATION);
            return Collections.enumeration(names);
        }
    }
}

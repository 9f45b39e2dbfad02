package dev.pier.controller.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.web.ClusterKeyFilter;
import dev.pier.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs before the cluster key check: a request that carries a live dashboard session cookie (and no
 * {@code Authorization}) is vouched for (see {@link ClusterKeyFilter#AUTHENTICATED}), so the dashboard's pages use
 * the same REST API as the CLI. Every change (POST, PUT, PATCH, DELETE) made with a session must send the session's
 * CSRF token in {@value #CSRF_HEADER}, or it is refused with 403 before it reaches the API; the cookie itself is
 * {@code SameSite=Strict}, so another site's page cannot even send it. Pages under {@code /dashboard} get a strict
 * Content-Security-Policy (only this origin's scripts, styles and connections) and may not be framed.
 */
public class DashboardSessionFilter extends OncePerRequestFilter {
    public static final String COOKIE = "pier_session";
    public static final String CSRF_HEADER = "X-Pier-CSRF";
    /** Request attribute: the request's live session. */
    public static final String SESSION = DashboardSessionFilter.class.getName() + ".session";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    static final String SIGN_IN = "/dashboard/session";

    private final DashboardSessions sessions;
    private final ObjectMapper json;

    public DashboardSessionFilter(DashboardSessions sessions, ObjectMapper json) {
        this.sessions = sessions;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (path.equals("/dashboard") || path.startsWith("/dashboard/")) {
            response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                    + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'");
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Referrer-Policy", "no-referrer");
        }
        String id = cookie(request);
        if (id != null && request.getHeader("Authorization") == null) {
            DashboardSessions.Session session = sessions.use(id);
            if (session != null) {
                boolean signIn = path.equals(SIGN_IN) && request.getMethod().equals("POST");
                if (!SAFE.contains(request.getMethod()) && !signIn
                        && !DashboardSessions.csrfMatches(session, request.getHeader(CSRF_HEADER))) {
                    Problems.write(response, json, HttpStatus.FORBIDDEN, "a change made with a dashboard session "
                            + "needs the session's CSRF token in " + CSRF_HEADER + " (missing or wrong)");
                    return;
                }
                request.setAttribute(ClusterKeyFilter.AUTHENTICATED, Boolean.TRUE);
                request.setAttribute(SESSION, session);
            }
        }
        chain.doFilter(request, response);
    }

    static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(COOKIE)) {
                return cookie.getValue();
            }
        }
        return null;
    }
}

package dev.pier.controller.dashboard;

import dev.pier.web.ApiProblem;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The dashboard's pages ({@code /dashboard/}, static files built into the jar: no script or style from elsewhere)
 * and its sessions: {@code POST /dashboard/session {"key": ...}} signs in with the cluster key and sets the session
 * cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over HTTPS) and answers the session's CSRF
 * token; {@code GET /dashboard/session} answers it again to a signed-in page; {@code DELETE /dashboard/session}
 * signs out. The controller's {@code /} leads to the dashboard.
 */
@Controller
public class DashboardController {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardController.class);

    private final DashboardSessions sessions;
    private final byte[] key;

    public DashboardController(DashboardSessions sessions, @Value("${pier.cluster-key}") String clusterKey) {
        this.sessions = sessions;
        this.key = clusterKey.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** What a sign-in answers: the session's CSRF token and how long it lasts unused. */
    public record SessionInfo(String csrf, long idleSeconds) {
    }

    /** The body of a sign-in. */
    public record SignIn(String key) {
    }

    @GetMapping("/")
    public String root() {
        return "redirect:/dashboard/";
    }

    @GetMapping("/dashboard")
    public String dashboard() {
        return "redirect:/dashboard/";
    }

    @GetMapping("/dashboard/")
    public String index() {
        return "forward:/dashboard/index.html";
    }

    @PostMapping(value = "/dashboard/session", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "201", description = "signed in: the session cookie is set; the answer holds its "
            + "CSRF token")
    @ApiResponse(responseCode = "401", description = "the cluster key is wrong",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    @ResponseBody
    public ResponseEntity<SessionInfo> signIn(@RequestBody(required = false) SignIn body, HttpServletRequest request,
            HttpServletResponse response) {
        if (body == null || body.key() == null || body.key().isBlank()) {
            throw ApiProblem.badRequest("key", "key (the cluster key) is required");
        }
        if (!MessageDigest.isEqual(body.key().strip().getBytes(StandardCharsets.UTF_8), key)) {
            LOG.info("event=dashboard_sign_in_refused remote={}", request.getRemoteAddr());
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "the cluster key is wrong", "key");
        }
        String old = DashboardSessionFilter.cookie(request);
        sessions.end(old);
        Map.Entry<String, DashboardSessions.Session> made = sessions.create();
        LOG.info("event=dashboard_signed_in remote={}", request.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.SET_COOKIE, cookie(made.getKey(), secure(request), false).toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new SessionInfo(made.getValue().csrf(), sessions.idle().toSeconds()));
    }

    @GetMapping(value = "/dashboard/session", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "200", description = "the signed-in session's CSRF token")
    @ApiResponse(responseCode = "401", description = "not signed in",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    @ResponseBody
    public ResponseEntity<SessionInfo> session(HttpServletRequest request) {
        DashboardSessions.Session session = signedIn(request);
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new SessionInfo(session.csrf(), sessions.idle().toSeconds()));
    }

    @DeleteMapping("/dashboard/session")
    public ResponseEntity<Void> signOut(HttpServletRequest request) {
        signedIn(request);
        sessions.end(DashboardSessionFilter.cookie(request));
        LOG.info("event=dashboard_signed_out remote={}", request.getRemoteAddr());
        return ResponseEntity.noContent()
                .header(HttpHeaders.SET_COOKIE, cookie("", secure(request), true).toString()).build();
    }

    private static DashboardSessions.Session signedIn(HttpServletRequest request) {
        Object session = request.getAttribute(DashboardSessionFilter.SESSION);
        if (session == null) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "not signed in: sign in with the cluster key", null);
        }
        return (DashboardSessions.Session) session;
    }

    private static boolean secure(HttpServletRequest request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    }

    private static ResponseCookie cookie(String value, boolean secure, boolean clear) {
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(DashboardSessionFilter.COOKIE, value)
                .httpOnly(true).sameSite("Strict").secure(secure).path("/");
        return clear ? cookie.maxAge(0).build() : cookie.build();
    }
}

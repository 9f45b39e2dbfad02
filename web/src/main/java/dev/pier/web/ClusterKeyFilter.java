package dev.pier.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every endpoint but the open ones ({@code pier.web.open-paths}, by default {@code /health}; {@code /metrics} too
 * with {@code pier.metrics.public=true}) needs {@code Authorization: Bearer <cluster key>}: one space after
 * {@code Bearer}, then exactly the key, compared in constant time. A filter that runs before this one may vouch for
 * a request it authenticated another way (the controller's dashboard sessions) by setting the request attribute
 * {@link #AUTHENTICATED} to {@code true}: a request attribute is not something a client can send.
 */
public class ClusterKeyFilter extends OncePerRequestFilter {
    /** Request attribute: an earlier filter authenticated this request. */
    public static final String AUTHENTICATED = ClusterKeyFilter.class.getName() + ".authenticated";
    private static final String PREFIX = "Bearer ";

    private final byte[] key;
    private final List<String> openPaths;
    private final ObjectMapper json;

    public ClusterKeyFilter(String key, List<String> openPaths, ObjectMapper json) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.openPaths = openPaths;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (PierWebProperties.matches(openPaths, request.getRequestURI())
                || Boolean.TRUE.equals(request.getAttribute(AUTHENTICATED))) {
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith(PREFIX)) {
            response.setHeader("WWW-Authenticate", "Bearer");
            Problems.write(response, json, HttpStatus.UNAUTHORIZED,
                    "this endpoint needs the cluster key: send 'Authorization: Bearer <key>'");
            return;
        }
        // exactly the key: white space around it is not trimmed away (a key with a space after it is another key)
        byte[] given = header.substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, key)) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            Problems.write(response, json, HttpStatus.UNAUTHORIZED, "the cluster key is wrong");
            return;
        }
        chain.doFilter(request, response);
    }
}

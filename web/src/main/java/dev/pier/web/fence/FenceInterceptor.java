package dev.pier.web.fence;

import dev.pier.api.discoverd.Fence;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks the {@value Fence#HEADER} of every change (any method but GET, HEAD and OPTIONS) that carries one with a
 * {@link LeaderFence}, before its handler runs: a deposed leader's write is refused (409) whatever it changes. Reads
 * and requests without the header pass.
 */
public final class FenceInterceptor implements HandlerInterceptor {
    private final LeaderFence fence;

    public FenceInterceptor(LeaderFence fence) {
        this.fence = fence;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            return true;
        }
        fence.check(request.getHeader(Fence.HEADER), method + " " + request.getRequestURI());
        return true;
    }
}

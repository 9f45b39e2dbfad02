package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard's pages and sessions: sign-in with the cluster key, the cookie, CSRF on every change, sign-out. */
class DashboardTest extends ControllerTestSupport {

    private HttpResponse<String> send(String method, String path, String body, String cookie, String csrf)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            builder.header("Cookie", "pier_session=" + cookie);
        }
        if (csrf != null) {
            builder.header("X-Pier-CSRF", csrf);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return m.group(1);
    }

    @Test
    void pagesAreServedWithoutTheKeyUnderAStrictPolicy() throws Exception {
        HttpResponse<String> root = send("GET", "/", null, null, null);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElse("")).endsWith("/dashboard/");
        HttpResponse<String> index = send("GET", "/dashboard/", null, null, null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<script src=\"app.js\" defer></script>").doesNotContain("http://",
                "https://");
        assertThat(index.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'",
                "frame-ancestors 'none'");
        HttpResponse<String> script = send("GET", "/dashboard/app.js", null, null, null);
        assertThat(script.statusCode()).isEqualTo(200);
        // nothing from elsewhere: the only URL in the script is SVG's namespace
        assertThat(script.body()).contains("X-Pier-CSRF");
        assertThat(script.body().replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://");
        assertThat(send("GET", "/dashboard/style.css", null, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionActsWithTheKeysRightsAndEveryChangeNeedsItsCsrfToken() throws Exception {
        HttpResponse<String> wrong = send("POST", "/dashboard/session", "{\"key\":\"nope\"}", null, null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(send("POST", "/dashboard/session", "{}", null, null).statusCode()).isEqualTo(400);

        HttpResponse<String> signIn = send("POST", "/dashboard/session", "{\"key\":\"" + KEY + "\"}", null, null);
        assertThat(signIn.statusCode()).isEqualTo(201);
        String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/").doesNotContain("Max-Age");
        String cookie = group(setCookie, "pier_session=([^;]+)");
        String csrf = group(signIn.body(), "\"csrf\":\"([^\"]+)\"");

        assertThat(send("GET", "/apps", null, cookie, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/dashboard/session", null, cookie, null).body()).contains(csrf);
        String app = uniqueName("dash");
        String body = "{\"name\":\"" + app + "\"}";
        HttpResponse<String> noToken = send("POST", "/apps", body, cookie, null);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF");
        assertThat(send("POST", "/apps", body, cookie, csrf + "x").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/apps", body, null, csrf).statusCode()).as("a token without a session").isEqualTo(401);
        assertThat(client.apps()).extracting(App::name).doesNotContain(app);
        assertThat(send("POST", "/apps", body, cookie, csrf).statusCode()).isEqualTo(201);
        assertThat(client.app(app).name()).isEqualTo(app);

        assertThat(send("DELETE", "/dashboard/session", null, cookie, null).statusCode()).isEqualTo(403);
        HttpResponse<String> signOut = send("DELETE", "/dashboard/session", null, cookie, csrf);
        assertThat(signOut.statusCode()).isEqualTo(204);
        assertThat(signOut.headers().firstValue("Set-Cookie").orElse("")).contains("Max-Age=0");
        assertThat(send("GET", "/apps", null, cookie, null).statusCode()).as("after sign-out").isEqualTo(401);
        assertThat(send("GET", "/dashboard/session", null, cookie, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/apps", null, "made-up", null).statusCode()).isEqualTo(401);
    }
}

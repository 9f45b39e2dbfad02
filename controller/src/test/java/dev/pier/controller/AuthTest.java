package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthTest extends ControllerTestSupport {
    private static final List<String[]> ENDPOINTS = List.of(
            new String[] {"GET", "/apps"}, new String[] {"POST", "/apps"}, new String[] {"GET", "/apps/a"},
            new String[] {"PATCH", "/apps/a"}, new String[] {"DELETE", "/apps/a"},
            new String[] {"POST", "/artifacts"}, new String[] {"GET", "/artifacts/x"},
            new String[] {"POST", "/apps/a/releases"}, new String[] {"GET", "/apps/a/releases"},
            new String[] {"GET", "/apps/a/release"}, new String[] {"POST", "/apps/a/rollback"},
            new String[] {"GET", "/apps/a/env"}, new String[] {"PATCH", "/apps/a/env"},
            new String[] {"PUT", "/apps/a/formations/x"}, new String[] {"GET", "/formations"},
            new String[] {"PUT", "/apps/a/jobs/j"}, new String[] {"GET", "/jobs"},
            new String[] {"POST", "/apps/a/deploy"}, new String[] {"GET", "/deployments/x"},
            new String[] {"POST", "/apps/a/routes"}, new String[] {"GET", "/routes"},
            new String[] {"POST", "/keys"}, new String[] {"GET", "/keys"}, new String[] {"DELETE", "/keys/x"},
            new String[] {"GET", "/events"}, new String[] {"GET", "/openapi.json"}, new String[] {"GET", "/nowhere"});

    @Test
    void everyEndpointButHealthNeedsTheClusterKey() throws Exception {
        for (String[] endpoint : ENDPOINTS) {
            for (String key : new String[] {null, "wrong", KEY + "x", ""}) {
                HttpResponse<String> response = raw(endpoint[0], endpoint[1], "{}", key);
                assertThat(response.statusCode()).as(endpoint[0] + " " + endpoint[1] + " with key " + key).isEqualTo(401);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
            }
        }
        assertThat(raw("GET", "/health", null, null).statusCode()).isEqualTo(200);
        assertThat(raw("GET", "/apps", null, KEY).statusCode()).isEqualTo(200);
    }
}

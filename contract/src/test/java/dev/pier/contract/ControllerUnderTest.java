package dev.pier.contract;

import dev.pier.controller.ControllerApplication;
import dev.pier.testkit.PostgresServer;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real controller on a real PostgreSQL database (one per test JVM, one Spring context shared by the test classes).
 * Tests use unique app names, so they never see each other's data.
 */
@SpringBootTest(classes = ControllerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pier.cluster-key=" + ControllerUnderTest.KEY, "server.address=127.0.0.1",
            "logging.level.root=WARN"})
abstract class ControllerUnderTest {
    static final String KEY = "contract-cluster-key-0123456789";
    private static final String DATABASE = PostgresServer.shared().newDatabase();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
    }

    protected String base() {
        return "http://127.0.0.1:" + port;
    }

    protected static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

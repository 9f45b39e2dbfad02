package dev.pier.slugbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java buildpack's reading of an app and of a Maven build ({@code buildpacks/java/lib/maven.sh}). */
class JavaBuildpackTest {
    private static final String LIB = "buildpacks/java/lib/maven.sh";

    @TempDir
    Path temp;

    private String inApp(String script) {
        return Bash.run(List.of(LIB), script, "", temp, Map.of()).stdout();
    }

    @Test
    void systemPropertiesAreReadInEitherSeparatorsForm() throws Exception {
        Files.writeString(temp.resolve("system.properties"), "# versions\r\njava.runtime.version = 17\r\n"
                + "maven.version: 3.9.16  \r\n");
        assertThat(inApp("system_property java.runtime.version")).isEqualTo("17\n");
        assertThat(inApp("system_property maven.version")).isEqualTo("3.9.16\n");
        assertThat(inApp("system_property javaXruntime.version")).isEmpty();
        assertThat(inApp("system_property other")).isEmpty();
    }

    @Test
    void noSystemPropertiesMeansNoValue() {
        assertThat(inApp("system_property java.runtime.version; echo \"status $?\"")).isEqualTo("status 0\n");
    }

    @Test
    void theMajorVersionOfWhatJavaRuntimeVersionSays() {
        assertThat(inApp("java_major 1.8")).isEqualTo("8");
        assertThat(inApp("java_major 17")).isEqualTo("17");
        assertThat(inApp("java_major 17.0.12")).isEqualTo("17");
        assertThat(inApp("java_major zulu-21")).isEqualTo("21");
        assertThat(inApp("java_major 21.0.1+12")).isEqualTo("21");
    }

    @Test
    void aCompilationErrorIsNamedByItsFirstCompilerMessage() throws Exception {
        Path log = temp.resolve("maven.log");
        Files.writeString(log, """
                [INFO] BUILD FAILURE
                [ERROR] COMPILATION ERROR :
                [ERROR] /app/src/main/java/hello/Main.java:[7,9] cannot find symbol
                  symbol:   class Strin
                [ERROR] /app/src/main/java/hello/Main.java:[9,1] class, interface, enum, or record expected
                [ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile
                """);
        assertThat(Bash.run(List.of(LIB), "maven_failure '" + log + "'", "", temp, Map.of("BUILD_DIR", "/app"))
                .stdout()).isEqualTo("compilation error: src/main/java/hello/Main.java:[7,9] cannot find symbol\n");
    }

    @Test
    void anotherFailureIsNamedByTheGoalThatFailed() throws Exception {
        Path log = temp.resolve("maven.log");
        Files.writeString(log, """
                [INFO] Scanning for projects...
                [ERROR] Failed to execute goal on project demo: Could not resolve dependencies for project x:demo:jar:1
                [ERROR] -> [Help 1]
                """);
        assertThat(inApp("maven_failure '" + log + "'")).isEqualTo(
                "Failed to execute goal on project demo: Could not resolve dependencies for project x:demo:jar:1");
    }

    @Test
    void theExecutableJarsAreThoseWithAMainClassInTheProjectsAndModulesTargets() throws Exception {
        jar("target/app-1.0.jar", "hello.Main");
        jar("target/app-1.0-sources.jar", null);
        jar("target/original-app-1.0.jar", "hello.Main");
        jar("target/lib/dependency.jar", "dep.Main");
        jar("greeting/target/greeting-1.0.jar", null);
        jar("web/target/web-1.0.jar", "sample.web.Main");
        assertThat(inApp("executable_jars '" + temp + "'")).isEqualTo("target/app-1.0.jar\nweb/target/web-1.0.jar\n");
    }

    @Test
    void aBuildWithNoExecutableJarHasNone() throws Exception {
        jar("target/library-1.0.jar", null);
        assertThat(inApp("executable_jars '" + temp + "'; echo \"status $?\"")).isEqualTo("status 0\n");
    }

    private void jar(String path, String mainClass) throws Exception {
        Path file = temp.resolve(path);
        Files.createDirectories(file.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }
}

package dev.pier.api.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Set;

/**
 * What every Pier service's {@code /metrics} shares (the services with Micrometer use it; {@code api} has Micrometer
 * as an optional dependency):
 * <ul>
 *   <li>{@link #CONVENTIONS}: names and help texts that pass {@code promtool check metrics}: Micrometer's
 *       {@code process.cpu.time} (in ns) and {@code jvm.compilation.time} (in ms) give way to
 *       {@code process_cpu_seconds_total} (Prometheus' own name for it, {@link #bindTo}), {@code system.cpu.count}
 *       becomes {@code system_cpus} (a gauge may not end in {@code _count}), and a meter without a description gets
 *       its name in words as its help text;</li>
 *   <li>{@link #bindTo}: the JVM and process figures, for the services without Spring Boot's auto-configuration.</li>
 * </ul>
 */
public final class Meters {
    private static final Set<String> DENIED = Set.of("process.cpu.time", "jvm.compilation.time");

    /** The naming filter; add it to a registry before any meter is registered. */
    public static final MeterFilter CONVENTIONS = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return DENIED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            Meter.Id named = id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            if (named.getDescription() == null || named.getDescription().isBlank()) {
                return new Meter.Id(named.getName(), io.micrometer.core.instrument.Tags.of(named.getTagsAsIterable()),
                        named.getBaseUnit(), named.getName().replace('.', ' ').replace('_', ' '), named.getType());
            }
            return named;
        }
    };

    private Meters() {
    }

    /** The JVM's and the process' figures, {@code process_cpu_seconds_total} among them. */
    public static void bindTo(MeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        bindProcessCpu(registry);
    }

    /** {@code process_cpu_seconds_total}: the CPU time the process used (user and system), as Prometheus names it. */
    public static void bindProcessCpu(MeterRegistry registry) {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            io.micrometer.core.instrument.FunctionCounter.builder("process.cpu", os,
                    bean -> bean.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time the process used").register(registry);
        }
    }
}

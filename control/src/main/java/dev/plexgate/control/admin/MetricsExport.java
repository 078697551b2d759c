package dev.plexgate.control.admin;

import dev.plexgate.proxy.ProxyServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.function.ToDoubleFunction;

/** The service's meter registry, Prometheus's, with the JVM's, the process's and Netty's own meters. */
public final class MetricsExport {

    private MetricsExport() {
    }

    /**
     * The service's one registry, with the JVM, process and Netty allocator meters bound to it.
     * The proxy records into it directly: a composite in front of it cost every counter increment
     * and timer record on the request path a walk over its children.
     */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Two of Micrometer's names break Prometheus's conventions (promtool check metrics says so):
        // a CPU time in nanoseconds next to process_cpu_usage, and a gauge named like a histogram's count.
        meters.config()
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                });
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        // Closing it would only unhook GC notifications; it lives as long as the JVM, like the registry.
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        // Buffers the proxy allocates come from Netty's default allocator, mostly direct memory outside the heap.
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            ByteBufAllocatorMetric metric = allocator.metric();
            nettyMemory(meters, metric, "direct", ByteBufAllocatorMetric::usedDirectMemory);
            nettyMemory(meters, metric, "heap", ByteBufAllocatorMetric::usedHeapMemory);
        }
        return meters;
    }

    /** {@code plexgate_active_connections}. */
    public static void bindProxy(ProxyServer proxy, MeterRegistry meters) {
        Gauge.builder("plexgate.active.connections", proxy, ProxyServer::openConnections)
                .description("Client connections open now, streams included")
                .register(meters);
    }

    private static void nettyMemory(MeterRegistry meters, ByteBufAllocatorMetric metric, String area,
            ToDoubleFunction<ByteBufAllocatorMetric> used) {
        Gauge.builder("netty.allocator.memory.used", metric, used)
                .description("Memory held by Netty's default buffer allocator")
                .tag("area", area)
                .baseUnit("bytes")
                .register(meters);
    }
}

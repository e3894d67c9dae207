package dev.cycletrack.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One broker per test class ({@link ItKafka#start}), started before its tests and closed after them.
 * Register it in a static field of each class: the field, and so the broker, belongs to that class,
 * which matters because test classes may overlap with the concurrent failover runs.
 */
public final class BrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private ItKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = ItKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String kind() {
        return kafka.kind();
    }
}

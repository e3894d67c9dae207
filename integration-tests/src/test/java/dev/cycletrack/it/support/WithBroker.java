package dev.cycletrack.it.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the integration tests that share one broker per test class (see {@link ItKafka#start}). */
public abstract class WithBroker {

    protected static ItKafka kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = ItKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }
}

package dev.registry.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a contract test of a reply decided before the log is touched (the body's parsing, the
 * routing of a path): its run on the embedded log covers every log, so the Kafka-backed copies
 * of the contract ({@link OnKafka.Backed}) skip it rather than start a node on a topic for it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BeforeTheLog.OnEmbeddedLogOnly.class)
public @interface BeforeTheLog {

    /** Disables the test in a class that runs the contract on Kafka. */
    final class OnEmbeddedLogOnly implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            boolean onKafka = context.getTestClass()
                    .map(OnKafka.Backed.class::isAssignableFrom)
                    .orElse(false);
            return onKafka
                    ? ConditionEvaluationResult.disabled("decided before the log: the embedded-log run covers it")
                    : ConditionEvaluationResult.enabled("runs on the embedded log");
        }
    }
}

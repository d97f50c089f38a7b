package dev.registry.kafka;

/**
 * The Kafka log cannot do what was asked: the cluster is unreachable, a write was not acknowledged,
 * the topic or a setting is unfit. The message is one line, fit to be shown to an operator as it is.
 */
public final class KafkaLogException extends IllegalStateException {

    public KafkaLogException(String message) {
        super(message);
    }

    public KafkaLogException(String message, Throwable cause) {
        super(message, cause);
    }
}

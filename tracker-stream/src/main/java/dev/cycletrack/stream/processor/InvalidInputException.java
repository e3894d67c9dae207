package dev.cycletrack.stream.processor;

/**
 * A record the tracker cannot use. Thrown by the processor before it changes any state for the
 * record; the processing exception handler sends the record to the dead-letter topic with the reason.
 */
public final class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final InvalidReason reason;
    private final String streamId;
    private final long seq;

    public InvalidInputException(InvalidReason reason, String streamId, long seq, String detail) {
        super(detail);
        this.reason = reason;
        this.streamId = streamId == null ? "" : streamId;
        this.seq = seq;
    }

    public InvalidReason reason() {
        return reason;
    }

    public String streamId() {
        return streamId;
    }

    public long seq() {
        return seq;
    }
}

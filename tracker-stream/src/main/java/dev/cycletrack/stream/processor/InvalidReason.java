package dev.cycletrack.stream.processor;

import java.util.Locale;

/**
 * Why an input record went to the dead-letter topic: the {@code ct-dlq-reason} header and the
 * {@code reason} tag of {@code cycletrack_frames_total{result="invalid"}} carry {@link #id()}.
 */
public enum InvalidReason {
    /** The bytes are not a record of the topic's schema (failed deserialization). */
    MALFORMED_RECORD,
    /** The record has no stream id. */
    MISSING_STREAM_ID,
    /** The record key is not the stream id in the value. */
    KEY_MISMATCH,
    /** No image bytes, or a zero width or height. */
    EMPTY_FRAME,
    /** More bytes or pixels than the tracker accepts. */
    FRAME_TOO_LARGE,
    /** The encoding field is missing or unknown. */
    UNKNOWN_ENCODING,
    /** The bytes are not an intact image of the declared encoding. */
    UNDECODABLE_IMAGE,
    /** The decoded image is not the size the frame declares. */
    SIZE_MISMATCH,
    /** The frame's size differs from the stream's context (frame 0). */
    WRONG_SIZE,
    /** A frame of a stream that has no context: no LabelInit yet (or evicted). */
    NO_LABEL_INIT,
    /** A LabelInit whose frame has already been processed. */
    STALE_LABEL_INIT,
    /** A LabelInit with a missing or unknown task. */
    UNKNOWN_TASK,
    /** A LabelInit naming an unknown preset, or overrides that are not valid values. */
    INVALID_SETTINGS,
    /** A keypoint LabelInit without keypoints, or a keypoint with a non-finite coordinate. */
    INVALID_KEYPOINTS,
    /** A visible keypoint outside the image it labels. */
    KEYPOINT_OUTSIDE_IMAGE,
    /** A mask LabelInit without a mask, with an undecodable PNG or without any object. */
    INVALID_MASK,
    /** A mask whose size differs from the frame it labels. */
    MASK_SIZE_MISMATCH,
    /** A frame whose seq was already processed (a replay or a resend): dropped, not labelled twice. */
    DUPLICATE,
    /** A frame older than the stream's last processed one that was never seen: dropped. */
    OUT_OF_ORDER,
    /** Anything else that failed while processing the record (a bug: the detail says what). */
    PROCESSING_ERROR;

    /**
     * The {@code result} tag under which a dead-lettered frame is counted: {@code dropped} for frames that
     * were well-formed but came twice or too late, {@code invalid} for everything else.
     */
    public String result() {
        return this == DUPLICATE || this == OUT_OF_ORDER ? "dropped" : "invalid";
    }

    /** The lower-case id used in headers and metric tags, e.g. {@code undecodable_image}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

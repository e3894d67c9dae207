package dev.cycletrack.stream.processor;

import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.schemas.v1.Encoding;
import java.io.IOException;

/** Frame bytes to pixels, with the checks that name what is wrong. */
public final class FrameImages {

    private FrameImages() {}

    /** Decodes; throws {@link InvalidInputException} (undecodable or size mismatch). */
    public static RgbImage decode(String stream, long seq, Encoding encoding, int width, int height, byte[] data) {
        RgbImage image;
        switch (encoding) {
            case JPEG, PNG -> {
                try {
                    image = Images.decode(data);
                } catch (IOException | RuntimeException e) {
                    throw new InvalidInputException(
                            InvalidReason.UNDECODABLE_IMAGE,
                            stream,
                            seq,
                            "frame " + seq + " of stream " + stream + ": " + encoding + " " + e.getMessage());
                }
            }
            case RAW_RGB -> {
                long want = 3L * width * height;
                if (data.length != want) {
                    throw new InvalidInputException(
                            InvalidReason.UNDECODABLE_IMAGE,
                            stream,
                            seq,
                            "frame " + seq + " of stream " + stream + ": RAW_RGB " + width + "x" + height + " needs "
                                    + want + " bytes, got " + data.length);
                }
                image = new RgbImage(width, height, data);
            }
            default ->
                throw new InvalidInputException(
                        InvalidReason.UNKNOWN_ENCODING,
                        stream,
                        seq,
                        "frame " + seq + " of stream " + stream + " has encoding " + encoding
                                + "; expected JPEG, PNG or RAW_RGB");
        }
        if (image.width() != width || image.height() != height) {
            throw new InvalidInputException(
                    InvalidReason.SIZE_MISMATCH,
                    stream,
                    seq,
                    "frame " + seq + " of stream " + stream + " declares " + width + "x" + height + " but its image is "
                            + image.width() + "x" + image.height());
        }
        return image;
    }
}

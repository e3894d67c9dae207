package dev.cycletrack.core.tracking;

/**
 * Where a frame's labels live: the original image, the image the encoder sees after resizing, and
 * the feature grid at the encoder's stride.
 */
public record FrameGeometry(
        int imageWidth,
        int imageHeight,
        int processedWidth,
        int processedHeight,
        int gridHeight,
        int gridWidth,
        int stride) {}

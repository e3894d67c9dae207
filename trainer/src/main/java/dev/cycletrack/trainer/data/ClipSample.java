package dev.cycletrack.trainer.data;

import dev.cycletrack.trainer.geometry.Affine;
import dev.cycletrack.trainer.geometry.TrackCrop;

/**
 * One augmented clip, ready for the encoder: {@code 2T} normalised planar RGB crops of S x S, the forward
 * track f_1..f_T first, then the backward track in the order it is fed, b_T..b_1; the two track crops and
 * the sampler matrix Theta = B_f inverse(B_b) (the identity for FC3).
 */
public record ClipSample(
        float[] pixels, int clipLength, int size, TrackCrop forward, TrackCrop backward, Affine theta, String source) {}

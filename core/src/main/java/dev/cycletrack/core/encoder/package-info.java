/**
 * The STFC3 encoder (SPEC 1): a ResNet-18 trunk built from DJL blocks, the inference {@link
 * dev.cycletrack.core.encoder.Encoder} that turns RGB frames into L2-normalised stride-8 feature maps,
 * and the on-disk {@link dev.cycletrack.core.encoder.ModelArtifact}.
 *
 * <p>Training builds {@code ResNetTrunk.create(padding, FeatureLayer.LAYER4)}, initialises it with a
 * seed and runs it in training mode (batch-statistics BN) under a GradientCollector; parameter paths
 * follow torchvision ({@code layer2.0.downsample.0.weight}). Publishing wraps the trunk in {@code
 * ModelArtifact.of(trunk, metadata)} and saves it: only the layer3 part is written. Inference loads an
 * artifact and makes an {@code Encoder}, which folds BN into the convs and runs channels-last.
 *
 * <p>Artifact directory layout:
 *
 * <pre>
 * trunk.params      DJL Block.saveParameters of the trunk up to layer3 (fp32, ~11 MB)
 * model.json        formatVersion, architecture "resnet18", padding, featureLayer "layer3", stride 8,
 *                   featureChannels 256, normalization {mean, std}, version, created (ISO-8601),
 *                   provenance {free-form}, evaluation {name: score}
 * checksums.sha256  "sha256  name" lines for model.json and trunk.params (sha256sum -c compatible)
 * </pre>
 */
package dev.cycletrack.core.encoder;

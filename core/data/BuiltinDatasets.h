#pragma once
/// Procedural datasets that need no files: `builtin:shapes` and `builtin:blobs`.

#include <cstdint>
#include <string>

#include "core/data/Dataset.h"
#include "core/util/Progress.h"

namespace core {

struct ShapesOptions {
    int train = 6000, test = 1000;
    int size = 28; ///< image side in pixels
    std::uint64_t seed = 0;
};

/// 10 classes of grayscale shapes (circle, square, triangle, cross, ring, star, diamond, hexagon,
/// crescent, bar) with random position, scale, rotation, stroke, intensity and noise.
/// Deterministic by seed: sample i depends only on (seed, split, i).
Dataset makeShapes(const ShapesOptions& options, const LoadControl& control = {});

struct BlobsOptions {
    int train = 5000, test = 1000;
    int classes = 10, dim = 64;
    double separation = 3.0; ///< std-dev of class centres relative to unit within-class noise
    std::uint64_t seed = 0;
};

/// A Gaussian mixture: class centres ~ N(0, separation²/dim · I), samples centre + N(0, I/dim).
Dataset makeBlobs(const BlobsOptions& options);

/// Builds `builtin:NAME[?key=value&...]`; throws core::Error for unknown names or keys.
Dataset loadBuiltin(const std::string& spec, const LoadControl& control = {});

} // namespace core

#pragma once
/// Pictures of dataset samples for previews and thumbnails.

#include <QImage>

#include "core/data/Dataset.h"

namespace ui {

/// Image `index` of `split` as a QImage (grayscale or RGB); null for tabular data.
QImage sampleImage(const core::Dataset& ds, const core::Split& split, std::size_t index);

/// A grid with one row per class (up to `maxClasses`) of its first `perClass` train samples,
/// each scaled to `cell` pixels, with a small gap.
QImage sampleGrid(const core::Dataset& ds, int perClass, int cell, int maxClasses = 20);

} // namespace ui

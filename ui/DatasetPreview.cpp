#include "ui/DatasetPreview.h"

#include <QPainter>

#include "ui/Palette.h"

namespace ui {

QImage sampleImage(const core::Dataset& ds, const core::Split& split, std::size_t index) {
    if (!ds.isImage() || index >= split.size()) return {};
    const int h = ds.height, w = ds.width, c = ds.channels;
    const std::uint8_t* px = split.images.data() + index * ds.sampleSize();
    if (c == 1) {
        QImage img(w, h, QImage::Format_Grayscale8);
        for (int y = 0; y < h; ++y)
            std::copy(px + y * w, px + (y + 1) * w, img.scanLine(y));
        return img;
    }
    QImage img(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y) {
        uchar* line = img.scanLine(y);
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < 3; ++k)
                line[3 * x + k] = px[std::size_t(k) * h * w + std::size_t(y) * w + x];
    }
    return img;
}

QImage sampleGrid(const core::Dataset& ds, int perClass, int cell, int maxClasses) {
    if (!ds.isImage()) return {};
    const int classes = std::min(ds.numClasses(), maxClasses);
    const int gap = 2, swatch = 6;
    QImage grid(swatch + gap + perClass * (cell + gap), classes * (cell + gap),
                QImage::Format_RGB32);
    grid.fill(QColor(250, 250, 250));
    QPainter p(&grid);
    std::vector<int> filled(std::size_t(classes), 0);
    for (std::size_t i = 0; i < ds.train.size(); ++i) {
        const auto c = ds.train.labels[i];
        if (c >= classes || filled[std::size_t(c)] >= perClass) continue;
        const int col = filled[std::size_t(c)]++;
        p.drawImage(QRect(swatch + gap + col * (cell + gap), int(c) * (cell + gap), cell, cell),
                    sampleImage(ds, ds.train, i));
    }
    for (int c = 0; c < classes; ++c)
        p.fillRect(0, c * (cell + gap), swatch, cell, classColor(c));
    return grid;
}

} // namespace ui

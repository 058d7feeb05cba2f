#include "ui/Palette.h"

#include <array>

namespace ui {

QColor classColor(int index) {
    static const std::array<QRgb, 10> tableau = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                                 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    if (index >= 0 && index < int(tableau.size())) return QColor(tableau[std::size_t(index)]);
    // Golden-angle hues keep neighbours distinct for any number of classes.
    const int hue = int((index * 137.508) + 0.5) % 360;
    return QColor::fromHsv(hue, 160 + (index % 3) * 30, 200 - (index % 2) * 40);
}

} // namespace ui

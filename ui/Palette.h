#pragma once
/// The categorical class palette shared by the class list, the charts and the 3D view.

#include <QColor>

namespace ui {

/// Colour of class `index`: Tableau-10 first, then evenly spaced hues for more classes.
QColor classColor(int index);

} // namespace ui

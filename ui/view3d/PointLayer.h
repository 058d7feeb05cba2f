#pragma once
// Internal to the 3D view (VTK types): a point set drawn as round sprites, and the scalar
// colour map. Only EmbeddingView.cpp includes this.

#include <QColor>

#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkFloatArray.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ui {

inline QColor viridis(float t) {
    // Five-stop approximation of matplotlib's viridis.
    static const float stops[5][3] = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    t = std::clamp(std::isfinite(t) ? t : 0.0f, 0.0f, 1.0f) * 4.0f;
    const int i = std::min(3, int(t));
    const float f = t - float(i);
    auto mix = [&](int c) { return int(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f); };
    return QColor(mix(0), mix(1), mix(2));
}

/// A point set drawn as round sprites: points, per-point RGBA colours, and the vertex cells of
/// the points that are visible.
struct PointLayer {
    vtkNew<vtkPoints> points;
    vtkNew<vtkUnsignedCharArray> colors;
    vtkNew<vtkCellArray> cells;
    vtkNew<vtkPolyData> data;
    vtkNew<vtkPolyDataMapper> mapper;
    vtkNew<vtkActor> actor;

    void setPositions(const std::vector<float>& xyz) {
        const auto n = vtkIdType(xyz.size() / 3);
        points->SetNumberOfPoints(n);
        auto* array = vtkFloatArray::SafeDownCast(points->GetData());
        std::copy(xyz.begin(), xyz.end(), array->WritePointer(0, 3 * n));
        points->Modified();
    }

    PointLayer() {
        points->SetDataTypeToFloat();
        colors->SetNumberOfComponents(4);
        colors->SetName("colors");
        data->SetPoints(points);
        data->SetVerts(cells);
        data->GetPointData()->SetScalars(colors);
        mapper->SetInputData(data);
        mapper->SetColorModeToDirectScalars();
        mapper->ScalarVisibilityOn();
        actor->SetMapper(mapper);
        actor->GetProperty()->SetRenderPointsAsSpheres(true);
    }
    void set(const std::vector<float>& xyz, const std::vector<QColor>& rgba,
             const std::vector<vtkIdType>& visible) {
        const auto n = vtkIdType(xyz.size() / 3);
        setPositions(xyz);
        colors->SetNumberOfTuples(n);
        unsigned char* c = colors->WritePointer(0, 4 * n);
        for (vtkIdType i = 0; i < n; ++i) {
            const QColor& q = rgba[std::size_t(i)];
            c[4 * i] = static_cast<unsigned char>(q.red());
            c[4 * i + 1] = static_cast<unsigned char>(q.green());
            c[4 * i + 2] = static_cast<unsigned char>(q.blue());
            c[4 * i + 3] = 255;
        }
        // One vertex cell per visible point, in VTK's legacy [1, id, 1, id, ...] layout.
        std::vector<vtkIdType> legacy(2 * visible.size());
        for (std::size_t k = 0; k < visible.size(); ++k) {
            legacy[2 * k] = 1;
            legacy[2 * k + 1] = visible[k];
        }
        cells->ImportLegacyFormat(legacy.data(), vtkIdType(legacy.size()));
        points->Modified();
        colors->Modified();
        cells->Modified();
        data->Modified();
    }
};

} // namespace ui

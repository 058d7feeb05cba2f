#pragma once
/// The probe embeddings as a 3D point cloud, rendered by VTK inside Qt's OpenGL context.
/// Debian's VTK Qt module is built for Qt5, so this widget hosts vtkGenericOpenGLRenderWindow
/// itself the way VTK's adapter does (render into VTK's framebuffer, blit into Qt's). VTK stays
/// behind the pimpl: this header shows Qt and standard types only.

#include <QOpenGLWidget>
#include <QSet>
#include <QStringList>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

class QLabel;
class QTimer;

namespace ui {

class EmbeddingView : public QOpenGLWidget {
    Q_OBJECT
  public:
    explicit EmbeddingView(QWidget* parent = nullptr);
    ~EmbeddingView() override;

    /// The surface format VTK needs; install with QSurfaceFormat::setDefaultFormat before the
    /// QApplication exists.
    static QSurfaceFormat defaultFormat();

    /// Points [N·3] with labels [N]. With `animate` and the same N, points glide from their
    /// current positions to the new ones (~300 ms); otherwise they jump.
    void setPoints(std::vector<float> xyz, std::vector<std::int64_t> labels, int numClasses,
                   bool animate);
    /// Colours points by `values` in [0, 1] (viridis) instead of by class; empty = by class.
    void setScalarColors(std::vector<float> values);
    void setHiddenClasses(const QSet<int>& hidden);
    void setPointSize(double pixels);
    void setShowCentroids(bool on);
    void setShowLegend(bool on);
    void setDarkBackground(bool on);
    void setClassNames(const QStringList& names);
    void setAxisTitles(const QStringList& titles);
    /// Orthographic top view (x, y) instead of the perspective 3D view.
    void setTopView(bool on);
    void resetCamera();
    /// Turns the camera around the focal point (degrees about the view-up axis).
    void orbit(double degrees);
    /// Where the camera is: enough to put another view's camera in the same place.
    struct Camera {
        std::array<double, 3> position{}, focalPoint{}, viewUp{};
        double viewAngle = 30, parallelScale = 1;
        bool parallel = false;
        bool operator==(const Camera&) const = default;
    };
    Camera camera() const;
    /// Moves the camera without emitting cameraChanged (for linked views).
    void setCamera(const Camera& camera);

    /// Marks `index` and its neighbours (mismatched-label neighbours in red); -1 clears.
    void setHighlight(int index, const std::vector<int>& neighbours,
                      const std::vector<bool>& mismatched);

    /// Index of the visible point nearest to `pos` (widget coordinates) within `radius` px, or -1.
    int pointAt(const QPoint& pos, double radius = 10.0) const;
    /// Widget coordinates of point `index` under the current camera.
    QPointF projectToWidget(int index) const;
    int pointCount() const;
    bool animating() const;
    std::int64_t framesRendered() const;

  signals:
    void pointPicked(int index);
    void frameRendered();
    /// The user (or orbit/resetCamera) moved the camera.
    void cameraChanged();

  protected:
    void initializeGL() override;
    void paintGL() override;
    void resizeGL(int w, int h) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

  private:
    void requestRender();
    void updateOverlay();

    struct Internals;
    std::unique_ptr<Internals> d_;
    QTimer* animation_;
    QLabel* legend_;
    QLabel* axes_;
};

} // namespace ui

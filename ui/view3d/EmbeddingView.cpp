#include "ui/view3d/EmbeddingView.h"

#include <QLabel>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QSurfaceFormat>
#include <QTimer>
#include <QWheelEvent>

#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>

#include <chrono>
#include <cmath>

#include "ui/Palette.h"
#include "ui/view3d/PointLayer.h"

namespace ui {

namespace {
constexpr int kAnimationMs = 300;
constexpr std::size_t kMaxSpherePoints = 20000;
} // namespace

struct EmbeddingView::Internals {
    vtkNew<vtkGenericOpenGLRenderWindow> window;
    vtkNew<vtkRenderer> renderer;
    vtkNew<vtkGenericRenderWindowInteractor> interactor;
    vtkNew<vtkInteractorStyleTrackballCamera> style;
    PointLayer cloud, centroids, highlight;
    std::vector<unsigned long> observers;
    bool initialized = false, inPaint = false, renderPending = true;
    std::int64_t frames = 0;

    std::vector<float> from, to, shown; ///< animation endpoints and current positions
    std::vector<std::int64_t> labels;
    std::vector<float> scalars;
    int numClasses = 0;
    QSet<int> hidden;
    bool showCentroids = true, topView = false, dark = false, firstFrame = true;
    double pointSize = 4.0;
    std::chrono::steady_clock::time_point animationStart;
    int selected = -1;
    std::vector<int> neighbours;
    std::vector<bool> mismatched;

    std::vector<vtkIdType> visibleIds() const {
        std::vector<vtkIdType> ids;
        ids.reserve(labels.size());
        for (std::size_t i = 0; i < labels.size(); ++i)
            if (!hidden.contains(int(labels[i]))) ids.push_back(vtkIdType(i));
        return ids;
    }

    void rebuildCloud() {
        std::vector<QColor> colours(labels.size());
        for (std::size_t i = 0; i < labels.size(); ++i)
            colours[i] =
                scalars.size() == labels.size() ? viridis(scalars[i]) : classColor(int(labels[i]));
        cloud.set(shown, colours, visibleIds());
        cloud.actor->GetProperty()->SetPointSize(float(pointSize));
        // Shaded sphere impostors cost a fragment program per pixel: beyond a few ten thousand
        // points (software GL orbited 70k spheres at ~20 frames/s) plain round-less points
        // keep the view interactive.
        cloud.actor->GetProperty()->SetRenderPointsAsSpheres(labels.size() <= kMaxSpherePoints);
        rebuildCentroids();
        rebuildHighlight();
    }

    void updatePositionsOnly() {
        cloud.setPositions(shown);
        cloud.data->Modified();
        rebuildCentroids();
        rebuildHighlight();
    }

    void rebuildCentroids() {
        std::vector<double> sum(std::size_t(numClasses) * 3, 0.0);
        std::vector<int> count(std::size_t(numClasses), 0);
        for (std::size_t i = 0; i < labels.size(); ++i) {
            const auto c = std::size_t(labels[i]);
            if (c >= count.size()) continue;
            ++count[c];
            for (int k = 0; k < 3; ++k)
                sum[3 * c + std::size_t(k)] += shown[3 * i + std::size_t(k)];
        }
        std::vector<float> xyz;
        std::vector<QColor> colours;
        std::vector<vtkIdType> ids;
        for (int c = 0; c < numClasses; ++c) {
            if (!count[std::size_t(c)]) continue;
            for (int k = 0; k < 3; ++k)
                xyz.push_back(
                    float(sum[3 * std::size_t(c) + std::size_t(k)] / count[std::size_t(c)]));
            colours.push_back(classColor(c).darker(130));
            if (showCentroids && !hidden.contains(c)) ids.push_back(vtkIdType(colours.size() - 1));
        }
        centroids.set(xyz, colours, ids);
        centroids.actor->GetProperty()->SetPointSize(float(pointSize * 3.5));
    }

    void rebuildHighlight() {
        std::vector<float> xyz;
        std::vector<QColor> colours;
        std::vector<vtkIdType> ids;
        auto add = [&](int i, const QColor& c) {
            if (i < 0 || std::size_t(i) * 3 + 2 >= shown.size()) return;
            for (int k = 0; k < 3; ++k)
                xyz.push_back(shown[std::size_t(3 * i + k)]);
            colours.push_back(c);
            ids.push_back(vtkIdType(colours.size() - 1));
        };
        for (std::size_t k = 0; k < neighbours.size(); ++k)
            add(neighbours[k], k < mismatched.size() && mismatched[k] ? QColor(230, 30, 30)
                                                                      : QColor(250, 200, 20));
        add(selected, dark ? QColor(255, 255, 255) : QColor(0, 0, 0));
        highlight.set(xyz, colours, ids);
        highlight.actor->GetProperty()->SetPointSize(float(pointSize * 2.2));
    }
};

QSurfaceFormat EmbeddingView::defaultFormat() {
    // What VTK's own Qt widget asks for: OpenGL 3.2 core, RGBA8, a depth buffer, no stencil,
    // no multisampling (VTK resolves into its own framebuffers), double buffered.
    QSurfaceFormat f;
    f.setRenderableType(QSurfaceFormat::OpenGL);
    f.setVersion(3, 2);
    f.setProfile(QSurfaceFormat::CoreProfile);
    f.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
    f.setRedBufferSize(8);
    f.setGreenBufferSize(8);
    f.setBlueBufferSize(8);
    f.setAlphaBufferSize(8);
    f.setDepthBufferSize(8);
    f.setStencilBufferSize(0);
    f.setSamples(0);
    return f;
}

EmbeddingView::EmbeddingView(QWidget* parent)
    : QOpenGLWidget(parent), d_(std::make_unique<Internals>()) {
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(200, 150);
    auto& d = *d_;
    d.window->SetReadyForRendering(false);
    d.window->SetFrameBlitModeToNoBlit();
    d.window->SetMultiSamples(0);
    d.window->AddRenderer(d.renderer);
    d.interactor->SetRenderWindow(d.window);
    d.interactor->SetInteractorStyle(d.style);
    d.renderer->AddActor(d.cloud.actor);
    d.renderer->AddActor(d.centroids.actor);
    d.renderer->AddActor(d.highlight.actor);
    d.highlight.actor->GetProperty()->SetRenderPointsAsSpheres(true);
    d.renderer->SetBackground(1, 1, 1);

    // The render window asks its host to make Qt's context current, whether it is current, and
    // to present a finished frame.
    auto handler = vtkSmartPointer<vtkCallbackCommand>::New();
    handler->SetClientData(this);
    handler->SetCallback([](vtkObject*, unsigned long event, void* client, void* callData) {
        auto* self = static_cast<EmbeddingView*>(client);
        switch (event) {
        // Only the context: QOpenGLWidget::makeCurrent() would also bind the widget's framebuffer
        // in the middle of VTK's render, behind VTK's state cache.
        case vtkCommand::WindowMakeCurrentEvent:
            if (auto* c = self->context()) c->makeCurrent(c->surface());
            break;
        case vtkCommand::WindowIsCurrentEvent: {
            auto* c = self->context();
            *static_cast<bool*>(callData) =
                c && QOpenGLContext::currentContext() == c &&
                c->surface() == QOpenGLContext::currentContext()->surface();
            break;
        }
        case vtkCommand::WindowFrameEvent:
            if (!self->d_->inPaint) self->update();
            break;
        default:
            break;
        }
    });
    for (auto e : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                   vtkCommand::WindowFrameEvent})
        d.observers.push_back(d.window->AddObserver(e, handler));

    animation_ = new QTimer(this);
    animation_->setInterval(16);
    connect(animation_, &QTimer::timeout, this, [this] {
        auto& d = *d_;
        const double t = std::min(1.0, std::chrono::duration<double, std::milli>(
                                           std::chrono::steady_clock::now() - d.animationStart)
                                               .count() /
                                           kAnimationMs);
        const double s = t * t * (3 - 2 * t); // smoothstep
        for (std::size_t i = 0; i < d.shown.size(); ++i)
            d.shown[i] = float(d.from[i] + (d.to[i] - d.from[i]) * s);
        d.updatePositionsOnly();
        if (t >= 1.0) animation_->stop();
        requestRender();
    });
    legend_ = new QLabel(this);
    legend_->setAttribute(Qt::WA_TransparentForMouseEvents);
    legend_->move(8, 8);
    axes_ = new QLabel(this);
    axes_->setAttribute(Qt::WA_TransparentForMouseEvents);
    updateOverlay();
}

EmbeddingView::~EmbeddingView() {
    makeCurrent();
    for (auto id : d_->observers)
        d_->window->RemoveObserver(id);
    d_->window->Finalize();
    d_->window->SetReadyForRendering(false);
    doneCurrent();
}

void EmbeddingView::initializeGL() {
    auto& d = *d_;
    d.window->SetForceMaximumHardwareLineWidth(1);
    d.window->SetReadyForRendering(true);
    d.window->SetOwnContext(0);
    d.window->OpenGLInitContext();
    const QSize size = this->size() * devicePixelRatioF();
    d.interactor->UpdateSize(size.width(), size.height());
    d.interactor->Initialize();
    d.initialized = true;
    d.renderPending = true;
}

void EmbeddingView::resizeGL(int w, int h) {
    const QSize size = QSize(w, h) * devicePixelRatioF();
    d_->interactor->UpdateSize(size.width(), size.height());
    d_->window->SetSize(size.width(), size.height());
    d_->renderPending = true;
    axes_->move(8, h - axes_->height() - 6);
}

void EmbeddingView::paintGL() {
    auto& d = *d_;
    if (!d.initialized) return;
    d.inPaint = true;
    if (d.renderPending) {
        // Qt leaves its own GL state behind: let VTK start from a known state.
        d.window->GetState()->Reset();
        d.window->GetState()->Push();
        d.window->GetState()->vtkglDepthFunc(GL_LEQUAL);
        d.interactor->Render();
        d.window->GetState()->Pop();
        d.renderPending = false;
    }
    d.inPaint = false;
    makeCurrent(); // a render may have changed the current context
    // Present: blit VTK's framebuffer into the widget's, keeping VTK's state cache in sync.
    QOpenGLExtraFunctions* f = context()->extraFunctions();
    const QSize target = size() * devicePixelRatioF();
    f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
    const GLenum buffers[1] = {GL_COLOR_ATTACHMENT0};
    f->glDrawBuffers(1, buffers);
    const GLboolean scissor = f->glIsEnabled(GL_SCISSOR_TEST);
    if (scissor) {
        d.window->GetState()->vtkglDisable(GL_SCISSOR_TEST);
        f->glDisable(GL_SCISSOR_TEST);
    }
    int* source = d.window->GetOffScreenFramebuffer()->GetLastSize();
    d.window->BlitDisplayFramebuffer(0, 0, 0, source[0], source[1], 0, 0, target.width(),
                                     target.height(), GL_COLOR_BUFFER_BIT, GL_LINEAR);
    // Opaque alpha, or compositors blend the view with what is behind the window.
    GLboolean mask[4];
    f->glGetBooleanv(GL_COLOR_WRITEMASK, mask);
    f->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    GLfloat clear[4];
    f->glGetFloatv(GL_COLOR_CLEAR_VALUE, clear);
    f->glClearColor(0, 0, 0, 1);
    f->glClear(GL_COLOR_BUFFER_BIT);
    f->glColorMask(mask[0], mask[1], mask[2], mask[3]);
    f->glClearColor(clear[0], clear[1], clear[2], clear[3]);
    if (scissor) {
        d.window->GetState()->vtkglEnable(GL_SCISSOR_TEST);
        f->glEnable(GL_SCISSOR_TEST);
    }
    ++d.frames;
    emit frameRendered();
}

void EmbeddingView::requestRender() {
    d_->renderPending = true;
    update();
}

void EmbeddingView::setPoints(std::vector<float> xyz, std::vector<std::int64_t> labels,
                              int numClasses, bool animate) {
    auto& d = *d_;
    const bool sameSet = xyz.size() == d.shown.size() && labels == d.labels;
    d.labels = std::move(labels);
    d.numClasses = numClasses;
    if (animate && sameSet && !d.shown.empty()) {
        d.from = d.shown;
        d.to = std::move(xyz);
        d.animationStart = std::chrono::steady_clock::now();
        animation_->start();
    } else {
        animation_->stop();
        d.to = xyz;
        d.shown = std::move(xyz);
    }
    if (d.scalars.size() != d.labels.size()) d.scalars.clear();
    d.rebuildCloud();
    if (d.firstFrame && !d.shown.empty()) {
        resetCamera();
        d.firstFrame = false;
    }
    updateOverlay();
    requestRender();
}

void EmbeddingView::setScalarColors(std::vector<float> values) {
    d_->scalars = std::move(values);
    d_->rebuildCloud();
    requestRender();
}

void EmbeddingView::setHiddenClasses(const QSet<int>& hidden) {
    d_->hidden = hidden;
    d_->rebuildCloud();
    updateOverlay();
    requestRender();
}

void EmbeddingView::setPointSize(double pixels) {
    d_->pointSize = pixels;
    d_->rebuildCloud();
    requestRender();
}

void EmbeddingView::setShowCentroids(bool on) {
    d_->showCentroids = on;
    d_->rebuildCentroids();
    requestRender();
}

void EmbeddingView::setShowLegend(bool on) {
    legend_->setVisible(on);
}

void EmbeddingView::setDarkBackground(bool on) {
    d_->dark = on;
    if (on)
        d_->renderer->SetBackground(0.11, 0.12, 0.14);
    else
        d_->renderer->SetBackground(1, 1, 1);
    d_->rebuildHighlight();
    updateOverlay();
    requestRender();
}

void EmbeddingView::setClassNames(const QStringList& names) {
    legend_->setProperty("names", names);
    updateOverlay();
}

void EmbeddingView::setAxisTitles(const QStringList& titles) {
    axes_->setText(titles.join(QStringLiteral("   ")));
    axes_->adjustSize();
    axes_->move(8, height() - axes_->height() - 6);
}

void EmbeddingView::setTopView(bool on) {
    d_->topView = on;
    resetCamera();
}

void EmbeddingView::resetCamera() {
    auto& d = *d_;
    vtkCamera* camera = d.renderer->GetActiveCamera();
    camera->SetParallelProjection(d.topView);
    camera->SetFocalPoint(0, 0, 0);
    camera->SetPosition(0, 0, 1);
    camera->SetViewUp(0, 1, 0);
    if (!d.topView) {
        camera->Elevation(20);
        camera->Azimuth(30);
        camera->OrthogonalizeViewUp();
    }
    d.renderer->ResetCamera();
    requestRender();
    emit cameraChanged();
}

EmbeddingView::Camera EmbeddingView::camera() const {
    vtkCamera* c = d_->renderer->GetActiveCamera();
    Camera out;
    c->GetPosition(out.position.data());
    c->GetFocalPoint(out.focalPoint.data());
    c->GetViewUp(out.viewUp.data());
    out.viewAngle = c->GetViewAngle();
    out.parallelScale = c->GetParallelScale();
    out.parallel = c->GetParallelProjection() != 0;
    return out;
}

void EmbeddingView::setCamera(const Camera& camera) {
    vtkCamera* c = d_->renderer->GetActiveCamera();
    c->SetPosition(camera.position.data());
    c->SetFocalPoint(camera.focalPoint.data());
    c->SetViewUp(camera.viewUp.data());
    c->SetViewAngle(camera.viewAngle);
    c->SetParallelScale(camera.parallelScale);
    c->SetParallelProjection(camera.parallel);
    d_->renderer->ResetCameraClippingRange();
    requestRender();
}

void EmbeddingView::orbit(double degrees) {
    d_->renderer->GetActiveCamera()->Azimuth(degrees);
    d_->renderer->ResetCameraClippingRange();
    requestRender();
    emit cameraChanged();
}

void EmbeddingView::setHighlight(int index, const std::vector<int>& neighbours,
                                 const std::vector<bool>& mismatched) {
    d_->selected = index;
    d_->neighbours = index >= 0 ? neighbours : std::vector<int>{};
    d_->mismatched = mismatched;
    d_->rebuildHighlight();
    requestRender();
}

QPointF EmbeddingView::projectToWidget(int index) const {
    auto& d = *d_;
    if (index < 0 || std::size_t(index) * 3 + 2 >= d.shown.size()) return {};
    d.renderer->SetWorldPoint(d.shown[std::size_t(3 * index)], d.shown[std::size_t(3 * index + 1)],
                              d.shown[std::size_t(3 * index + 2)], 1.0);
    d.renderer->WorldToDisplay();
    double display[3];
    d.renderer->GetDisplayPoint(display);
    const double dpr = devicePixelRatioF();
    // VTK's display y grows upwards.
    return QPointF(display[0] / dpr, height() - display[1] / dpr);
}

int EmbeddingView::pointAt(const QPoint& pos, double radius) const {
    auto& d = *d_;
    int best = -1;
    double bestDist = radius * radius;
    for (std::size_t i = 0; i < d.labels.size(); ++i) {
        if (d.hidden.contains(int(d.labels[i]))) continue;
        const QPointF p = projectToWidget(int(i));
        const double dx = p.x() - pos.x(), dy = p.y() - pos.y(), dist = dx * dx + dy * dy;
        if (dist <= bestDist) {
            bestDist = dist;
            best = int(i);
        }
    }
    return best;
}

int EmbeddingView::pointCount() const {
    return int(d_->labels.size());
}
bool EmbeddingView::animating() const {
    return animation_->isActive();
}
std::int64_t EmbeddingView::framesRendered() const {
    return d_->frames;
}

void EmbeddingView::updateOverlay() {
    const QStringList names = legend_->property("names").toStringList();
    QString html;
    const int n = std::min<int>(d_->numClasses, 30);
    const QString text = d_->dark ? "#ddd" : "#222";
    for (int c = 0; c < n; ++c) {
        if (d_->hidden.contains(c)) continue;
        const QString name = c < names.size() ? names[c].toHtmlEscaped() : QString::number(c);
        html += QString("<span style='color:%1'>●</span>&nbsp;<span style='color:%2'>%3</span><br>")
                    .arg(classColor(c).name(), text, name);
    }
    legend_->setText(html);
    legend_->adjustSize();
    axes_->setStyleSheet(QString("color: %1").arg(text));
}

// ---- Qt events → VTK interactor (trackball camera) ----

void EmbeddingView::mousePressEvent(QMouseEvent* e) {
    const double dpr = devicePixelRatioF();
    auto* iren = d_->interactor.Get();
    iren->SetEventInformationFlipY(int(e->position().x() * dpr), int(e->position().y() * dpr),
                                   e->modifiers() & Qt::ControlModifier ? 1 : 0,
                                   e->modifiers() & Qt::ShiftModifier ? 1 : 0, 0,
                                   e->type() == QEvent::MouseButtonDblClick ? 1 : 0);
    if (e->button() == Qt::LeftButton) {
        setProperty("pressPos", e->position().toPoint());
        iren->InvokeEvent(vtkCommand::LeftButtonPressEvent, e);
    } else if (e->button() == Qt::MiddleButton) {
        iren->InvokeEvent(vtkCommand::MiddleButtonPressEvent, e);
    } else if (e->button() == Qt::RightButton) {
        iren->InvokeEvent(vtkCommand::RightButtonPressEvent, e);
    }
}

void EmbeddingView::mouseMoveEvent(QMouseEvent* e) {
    const double dpr = devicePixelRatioF();
    d_->interactor->SetEventInformationFlipY(
        int(e->position().x() * dpr), int(e->position().y() * dpr),
        e->modifiers() & Qt::ControlModifier ? 1 : 0, e->modifiers() & Qt::ShiftModifier ? 1 : 0);
    d_->interactor->InvokeEvent(vtkCommand::MouseMoveEvent, e);
    if (e->buttons() != Qt::NoButton) emit cameraChanged();
}

void EmbeddingView::mouseReleaseEvent(QMouseEvent* e) {
    const double dpr = devicePixelRatioF();
    auto* iren = d_->interactor.Get();
    iren->SetEventInformationFlipY(int(e->position().x() * dpr), int(e->position().y() * dpr),
                                   e->modifiers() & Qt::ControlModifier ? 1 : 0,
                                   e->modifiers() & Qt::ShiftModifier ? 1 : 0);
    if (e->button() == Qt::LeftButton) {
        iren->InvokeEvent(vtkCommand::LeftButtonReleaseEvent, e);
        // A click (press and release in place) picks; a drag only rotates.
        const QPoint press = property("pressPos").toPoint();
        if ((press - e->position().toPoint()).manhattanLength() <= 3) {
            const int index = pointAt(e->position().toPoint());
            emit pointPicked(index);
        }
    } else if (e->button() == Qt::MiddleButton) {
        iren->InvokeEvent(vtkCommand::MiddleButtonReleaseEvent, e);
    } else if (e->button() == Qt::RightButton) {
        iren->InvokeEvent(vtkCommand::RightButtonReleaseEvent, e);
    }
}

void EmbeddingView::wheelEvent(QWheelEvent* e) {
    const double dpr = devicePixelRatioF();
    d_->interactor->SetEventInformationFlipY(int(e->position().x() * dpr),
                                             int(e->position().y() * dpr));
    d_->interactor->InvokeEvent(e->angleDelta().y() > 0 ? vtkCommand::MouseWheelForwardEvent
                                                        : vtkCommand::MouseWheelBackwardEvent,
                                e);
    emit cameraChanged();
}

void EmbeddingView::keyPressEvent(QKeyEvent* e) {
    if (e->key() == Qt::Key_R) {
        resetCamera();
        return;
    }
    if (e->key() == Qt::Key_Left || e->key() == Qt::Key_Right) {
        orbit(e->key() == Qt::Key_Left ? -5.0 : 5.0);
        return;
    }
    QOpenGLWidget::keyPressEvent(e);
}

} // namespace ui

// UI responsiveness while training at full speed, and loss-chart update cost on long runs.
//   ui_latency_bench [SECONDS] [DATASET]     (run under xvfb-run or QT_QPA_PLATFORM=offscreen)
// Prints event-loop lateness p50/p99/max of a 10 ms timer while the window trains, then the
// cost of one chart update after 1e5 and 1e6 steps. Targets: p99 < 30 ms.
#include <QApplication>
#include <QChartView>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "core/data/DatasetLoader.h"
#include "ui/MainWindow.h"
#include "ui/TrainingSession.h"
#include "ui/charts/LossChart.h"

namespace {
double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

double chartUpdateMs(std::int64_t steps) {
    ui::LossChart chart;
    chart.resize(800, 400);
    chart.show();
    std::vector<core::StepRecord> batch;
    // Feed the history in large batches (fast), then time a typical 30 Hz update of a few steps.
    for (std::int64_t s = 1; s <= steps; s += 10000) {
        batch.clear();
        for (std::int64_t k = s; k < s + 10000 && k <= steps; ++k)
            batch.push_back({k, 0, 0.1, 1.0 / std::sqrt(double(k)), {}, 0, 0, 0});
        chart.appendRecords(batch);
    }
    QApplication::processEvents();
    std::vector<double> times;
    for (int r = 0; r < 30; ++r) {
        batch.clear();
        for (int k = 0; k < 5; ++k)
            batch.push_back({steps + r * 5 + k + 1, 0, 0.1, 0.5, {}, 0, 0, 0});
        QElapsedTimer t;
        t.start();
        chart.appendRecords(batch);
        chart.view()->viewport()->repaint();
        times.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::printf("  (stored points after %lld steps: %d)\n", (long long)steps, chart.storedPoints());
    return percentile(times, 0.5);
}
} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("ContrastScopeBench");
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 20;
    const QString spec = argc > 2 ? argv[2] : QString::fromStdString(core::defaultDatasetSpec());

    ui::MainWindow window;
    window.resize(1440, 900);
    window.show();
    core::TrainConfig config = ui::MainWindow::savedConfig();
    config.threads = 2;
    window.openDataset(spec, config, true);

    std::vector<double> lateness;
    QElapsedTimer clock;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(10);
    qint64 expected = 0;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (expected > 0) lateness.push_back(std::max<double>(0.0, double(now - expected) / 1e6));
        expected = now + 10'000'000;
    });
    QObject::connect(&window, &ui::MainWindow::datasetOpened, [&] {
        // Measure only while the trainer runs at full speed.
        QTimer::singleShot(3000, [&] {
            clock.start();
            tick.start();
            QTimer::singleShot(seconds * 1000, [&] { app.quit(); });
        });
    });
    app.exec();
    tick.stop();
    const auto steps = window.session()->step();
    std::printf("UI event-loop lateness while training (%s, %d s, %lld steps): p50 %.2f ms, p99 "
                "%.2f ms, max %.2f ms "
                "(target p99 < 30 ms)\n",
                qPrintable(spec), seconds, (long long)steps, percentile(lateness, 0.5),
                percentile(lateness, 0.99), percentile(lateness, 1.0));
    window.session()->pause();
    const double p99 = percentile(lateness, 0.99);
    double update[2];
    int k = 0;
    for (std::int64_t n : {100000LL, 1000000LL}) {
        update[k] = chartUpdateMs(n);
        std::printf("Loss chart update after %lld steps: %.2f ms (median of 30)\n", (long long)n,
                    update[k++]);
    }
    // Rows for run_all.sh's table.
    std::printf("| UI event-loop lateness while training, p50 / p99 | %.1f / %.1f ms | p99 < 30 ms "
                "| %.2f× of budget %s |\n",
                percentile(lateness, 0.5), p99, p99 / 30.0, p99 < 30 ? "✓" : "✗");
    std::printf("| Loss chart update after 10⁵ / 10⁶ steps | %.1f / %.1f ms | flat (10⁶ ≤ 1.5× "
                "10⁵), < 33 ms | %.2f× %s |\n",
                update[0], update[1], update[1] / update[0],
                update[1] <= 1.5 * update[0] && update[1] < 33 ? "✓" : "✗");
    return 0;
}

#include "core/train/Schedule.h"

#include <algorithm>
#include <cmath>

namespace core {

double learningRate(const TrainConfig& c, std::int64_t step) {
    if (step < c.warmup)
        return c.startLr + (c.lr - c.startLr) * double(step + 1) / double(c.warmup);
    if (c.schedule == "constant" || c.steps <= 0) return c.lr;
    const std::int64_t span = std::max<std::int64_t>(1, c.steps - c.warmup);
    const double t = std::clamp(double(step - c.warmup) / double(span), 0.0, 1.0);
    return c.finalLr + 0.5 * (c.lr - c.finalLr) * (1.0 + std::cos(3.14159265358979323846 * t));
}

} // namespace core

#pragma once
// Training settings the trainer, snapshot and window tests share: short, quiet CPU runs.

#include "core/train/TrainConfig.h"

namespace fixtures {

/// No step limit, 2 CPU threads, a 60-point probe, snapshots only when asked for.
inline core::TrainConfig quietRun() {
    core::TrainConfig c;
    c.steps = 0;
    c.threads = 2;
    c.device = "cpu";
    c.snapshotEvery = 0;
    c.snapshotMs = 0;
    c.probe = 60;
    return c;
}

/// quietRun with evaluations every 5 steps against 300 references and an 80-point probe.
inline core::TrainConfig evaluatedRun() {
    core::TrainConfig c = quietRun();
    c.probe = 80;
    c.evalEvery = 5;
    c.referenceLimit = 300;
    return c;
}

} // namespace fixtures

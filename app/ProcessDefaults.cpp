// LibTorch parallelises element-wise work with OpenMP (libgomp) while its matrix products run
// in OpenBLAS's own thread pool. libgomp's idle workers spin for a long time (300000 spins)
// before sleeping, so on a 2-core machine they compete with OpenBLAS's threads and every GEMM
// that follows an OpenMP region waits for a descheduled thread. Measured here: a
// 250×784·784×512 matmul followed by a ReLU took 3.7 ms with 2 threads against 1.5 ms with 1,
// and the MLP trained at ~22 steps/s with --threads 2. With GOMP_SPINCOUNT=1000 it trains at
// 70–100 steps/s, and cnn-small goes from 5.2 to 7.2 steps/s.
//
// Setting the variable from inside the process is too late (libgomp's constructor has read it,
// and glibc resets environ after .preinit_array functions run), hence the re-exec.
#include "ProcessDefaults.h"

#include <unistd.h>

#include <cstdlib>

namespace app {

void applyThreadingDefaults(char** argv) {
    if (std::getenv("GOMP_SPINCOUNT")) return;
    setenv("GOMP_SPINCOUNT", "1000", 1);
    execv("/proc/self/exe", argv);
    // Only reached when exec failed: carry on with libgomp's defaults.
}

} // namespace app

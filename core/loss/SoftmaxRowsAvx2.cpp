// The fused row kernel built for AVX2 + FMA (-march=haswell); SoftmaxRows.cpp calls it when
// the CPU has both.
#define CS_KERNEL_NS avx2
#include "core/loss/SoftmaxRowsImpl.h"

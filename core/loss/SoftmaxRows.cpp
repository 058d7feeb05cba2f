#include "core/loss/SoftmaxRows.h"

#define CS_KERNEL_NS baseline
#include "core/loss/SoftmaxRowsImpl.h"

namespace core::kernels {

#if defined(CONTRASTSCOPE_AVX2_KERNELS)
namespace avx2 {
void rowsF(float*, std::int64_t, std::int64_t, const RowArgs&, const float*, float*, float*,
           float*);
void rowsD(double*, std::int64_t, std::int64_t, const RowArgs&, const double*, double*, double*,
           double*);
} // namespace avx2

namespace {
bool hasAvx2() {
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
}
} // namespace
#endif

void softmaxGradientRows(float* s, std::int64_t r0, std::int64_t r1, const RowArgs& a,
                         const float* weight, float* lse, float* ell, float* qy) {
#if defined(CONTRASTSCOPE_AVX2_KERNELS)
    if (hasAvx2()) return avx2::rowsF(s, r0, r1, a, weight, lse, ell, qy);
#endif
    baseline::rowsF(s, r0, r1, a, weight, lse, ell, qy);
}

void softmaxGradientRows(double* s, std::int64_t r0, std::int64_t r1, const RowArgs& a,
                         const double* weight, double* lse, double* ell, double* qy) {
#if defined(CONTRASTSCOPE_AVX2_KERNELS)
    if (hasAvx2()) return avx2::rowsD(s, r0, r1, a, weight, lse, ell, qy);
#endif
    baseline::rowsD(s, r0, r1, a, weight, lse, ell, qy);
}

} // namespace core::kernels

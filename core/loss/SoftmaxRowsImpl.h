// The fused row kernel's body, compiled twice: SoftmaxRows.cpp (x86-64 baseline, namespace
// `baseline`) and SoftmaxRowsAvx2.cpp (-march=haswell, namespace `avx2`). Include only there,
// with CS_KERNEL_NS defined.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "core/loss/SoftmaxRows.h"

namespace core::kernels {

namespace CS_KERNEL_NS {

/// exp for float, written so the compiler vectorises it: Cephes' expf (range reduction to
/// |r| ≤ ln2/2, degree-5 polynomial, ≤ 2 ulp). Inputs are clamped to [−87.3, 88.7]: results
/// stay normal (tiny instead of 0 far below the row maximum, which no sum here can notice).
[[gnu::always_inline]] inline float fastExp(float x) {
    x = x < -87.3365447504019f ? -87.3365447504019f : x;
    x = x > 88.3762626647949f ? 88.3762626647949f : x;
    const float t = x * 1.44269504088896341f + 0.5f;
    const float truncated = float(std::int32_t(t));
    const float n = truncated - float(truncated > t); // floor, without a branch
    const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    return p * std::bit_cast<float>((std::int32_t(n) + 127) << 23);
}

[[gnu::always_inline]] inline double fastExp(double x) {
    return std::exp(x);
}

/// d_j ← exp(d_j·invTau − shift); returns Σ d_j.
template <typename T>
[[gnu::noinline]] T expInPlace(T* __restrict d, std::int64_t n, T invTau, T shift) {
    T sum = 0;
    for (std::int64_t j = 0; j < n; ++j) {
        const T e = fastExp(d[j] * invTau - shift);
        d[j] = e;
        sum += e;
    }
    return sum;
}

template <typename T> T tiny() {
    return std::is_same_v<T, double> ? T(1e-290) : T(1e-30);
}

template <typename T>
[[gnu::always_inline]] inline void row(T* d, std::int64_t i, const RowArgs& a, T weight, T& lse,
                                       T& ell, T& qyOut, T* classMass, T* mult) {
    const std::int64_t n = a.n;
    const T invTau = T(a.invTau);
    // 1. The maximum over j ≠ i. Rows are unit vectors, so d ∈ [−1, 1]: −4 keeps the anchor's
    // own entry out of the maximum and makes its exp negligible (it is subtracted again; its
    // gradient is 0). Inputs are finite (the caller checks), so no infinities arise here.
    d[i] = T(-4);
    T m = T(-4);
    for (std::int64_t j = 0; j < n; ++j)
        m = std::max(m, d[j]);
    // 2. e_ij = exp((d_ij − m)/τ), their sum, and (Positives, ε = 0) the positive sum.
    const T shift = m * invTau;
    T sum = expInPlace(d, n, invTau, shift);
    sum -= d[i];
    d[i] = 0;
    lse = shift + std::log(sum);
    const T inv = T(1) / sum;
    const std::int32_t* y = a.labels;
    switch (a.target) {
    case Target::Partner: {
        const T w = weight * inv;
        for (std::int64_t j = 0; j < n; ++j)
            d[j] *= w;
        d[(i + n / 2) % n] -= weight;
        return;
    }
    case Target::MeanPositives: {
        const std::int32_t yi = y[i];
        std::int64_t positives = 0;
        for (std::int64_t j = 0; j < n; ++j)
            positives += y[j] == yi ? 1 : 0;
        positives -= 1; // the anchor itself
        const T w = weight * inv;
        const T target = positives > 0 ? weight / T(positives) : T(0);
        for (std::int64_t j = 0; j < n; ++j)
            d[j] = d[j] * w - (y[j] == yi ? target : T(0));
        d[i] = 0;
        return;
    }
    case Target::Positives:
        break;
    }
    const std::int32_t yi = y[i];
    const std::int64_t c = a.classes;
    if (a.eps == 0.0) {
        // ℓ = −log P_{i,y_i}; G_ij = p_ij (1 − [y_j = y_i]/P_{i,y_i}).
        T pos = 0;
        for (std::int64_t j = 0; j < n; ++j)
            pos += y[j] == yi ? d[j] : T(0);
        const T qy = pos * inv;
        qyOut = qy;
        const T q = std::max(qy, tiny<T>());
        ell = -std::log(q);
        const T w = weight * inv, wPos = weight * inv * (T(1) - T(1) / q);
        for (std::int64_t j = 0; j < n; ++j)
            d[j] *= y[j] == yi ? wPos : w;
        return;
    }
    // Label smoothing: class masses P_ic, then G_ij = p_ij · mult_{i, y_j}.
    const T eps = T(a.eps), floorMass = eps / T(c);
    std::fill(classMass, classMass + c, T(0));
    for (std::int64_t j = 0; j < n; ++j)
        classMass[y[j]] += d[j];
    qyOut = classMass[yi] * inv;
    T loss = 0, bSum = 0;
    for (std::int64_t k = 0; k < c; ++k) {
        const T ys = (k == yi ? T(1) - eps : T(0)) + floorMass;
        const T pc = classMass[k] * inv * (T(1) - eps) + floorMass;
        loss -= ys * std::log(pc);
        mult[k] = ys / pc; // b_ik
        bSum += mult[k];
    }
    ell = loss;
    const T beta = bSum * floorMass;
    for (std::int64_t k = 0; k < c; ++k)
        mult[k] = weight * inv * (T(1) - beta - (T(1) - eps) * mult[k]);
    for (std::int64_t j = 0; j < n; ++j)
        d[j] *= mult[y[j]];
}

template <typename T>
[[gnu::always_inline]] inline void rows(T* s, std::int64_t r0, std::int64_t r1, const RowArgs& a,
                                        const T* weight, T* lse, T* ell, T* qy) {
    std::vector<T> classMass(std::size_t(std::max<std::int64_t>(a.classes, 1))),
        mult(classMass.size());
    T unusedEll = 0, unusedQy = 0;
    for (std::int64_t i = r0; i < r1; ++i)
        row<T>(s + i * a.n, i, a, weight[i], lse[i], ell ? ell[i] : unusedEll,
               qy ? qy[i] : unusedQy, classMass.data(), mult.data());
}

/// The entry points of this build.
void rowsF(float* s, std::int64_t r0, std::int64_t r1, const RowArgs& a, const float* weight,
           float* lse, float* ell, float* qy) {
    rows<float>(s, r0, r1, a, weight, lse, ell, qy);
}
void rowsD(double* s, std::int64_t r0, std::int64_t r1, const RowArgs& a, const double* weight,
           double* lse, double* ell, double* qy) {
    rows<double>(s, r0, r1, a, weight, lse, ell, qy);
}

} // namespace CS_KERNEL_NS

} // namespace core::kernels

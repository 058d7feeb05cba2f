#include "core/loss/Losses.h"

#include <ATen/Parallel.h>

#include <atomic>
#include <cmath>
#include <limits>

#include "core/loss/SoftmaxRows.h"
#include "core/util/Error.h"

namespace core {

namespace {

using torch::Tensor;
namespace F = torch::nn::functional;

/// Backward of every contrastive loss given dL/dS = G (A×N) for S = z_A zᵀ / τ and
/// z = x / max(‖x‖, 1e-12). Forward returns the precomputed loss value.
class ContrastiveFn : public torch::autograd::Function<ContrastiveFn> {
  public:
    static Tensor forward(torch::autograd::AutogradContext* ctx, const Tensor& x,
                          const Tensor& value, const Tensor& z, const Tensor& norm, const Tensor& g,
                          double tau) {
        (void)x;
        ctx->save_for_backward({z, norm, g});
        ctx->saved_data["tau"] = tau;
        return value.clone();
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list gradOutputs) {
        const auto saved = ctx->get_saved_variables();
        const Tensor& z = saved[0];
        const Tensor& norm = saved[1];
        const Tensor& g = saved[2];
        const double tau = ctx->saved_data["tau"].toDouble();
        const std::int64_t a = g.size(0);
        // dS/dz: S_ij = z_i·z_j/τ for anchors i < A and all j.
        Tensor dz = g.t().mm(z.narrow(0, 0, a));
        dz.narrow(0, 0, a).add_(g.mm(z));
        dz.mul_(gradOutputs[0].to(dz.dtype()) / tau);
        // Through the normalisation: (I − z zᵀ)/‖x‖, or 1/ε where the clamp is active.
        const Tensor radial = (z * dz).sum(1, true);
        const Tensor clamped = norm <= 1e-12;
        Tensor dx = torch::where(clamped, dz, dz - z * radial) / norm.clamp_min(1e-12);
        return {dx, Tensor(), Tensor(), Tensor(), Tensor(), Tensor()};
    }
};

struct Normalised {
    Tensor z, norm;
};

Normalised normalise(const Tensor& x) {
    Tensor norm = x.norm(2, 1, true);
    return {x / norm.clamp_min(1e-12), norm};
}

/// Row softmax over j ≠ i of S = z_A zᵀ/τ, computed in one A×N buffer. Returns p and the
/// log-sum-exp of each row (over j ≠ i).
struct RowSoftmax {
    Tensor p, lse;
};

RowSoftmax rowSoftmax(const Tensor& z, std::int64_t a, double tau) {
    Tensor s = z.narrow(0, 0, a).mm(z.t()).div_(tau);
    s.diagonal().fill_(-std::numeric_limits<double>::infinity());
    const Tensor rowMax = std::get<0>(s.max(1, true));
    s.sub_(rowMax).exp_();
    const Tensor sum = s.sum(1, true);
    s.div_(sum);
    return {s, (rowMax + sum.log()).squeeze(1)};
}

void checkInputs(const Tensor& z, const char* loss) {
    if (z.dim() != 2)
        throw Error(std::string(loss) + ": embeddings must be [N, D], got " +
                    std::to_string(z.dim()) + " dimensions");
    if (z.size(0) < 2)
        throw Error(std::string(loss) + ": need at least 2 rows, got " + std::to_string(z.size(0)));
    if (!z.is_floating_point())
        throw Error(std::string(loss) + ": embeddings must be floating point");
}

void checkLabels(const Tensor& z, const Tensor& labels, const char* loss) {
    if (labels.dim() != 1 || labels.size(0) != z.size(0))
        throw Error(std::string(loss) +
                    ": labels must be [N] with N = " + std::to_string(z.size(0)));
}

double tiny(const Tensor& t) {
    return t.scalar_type() == torch::kDouble ? 1e-290 : 1e-30;
}

/// Rows whose positive mass underflowed in float (very small τ): recomputes their loss
/// −log Σ_{j∈P(i)} p_ij and gradient rows p − r (r = softmax over positives) in float64.
void exactPositiveRows(const Tensor& z, const Tensor& local, const Tensor& rows, double tau,
                       Tensor& ell, Tensor& g) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    const Tensor zd = z.to(torch::kDouble);
    Tensor s = zd.index_select(0, rows).mm(zd.t()).div_(tau);
    s.scatter_(1, rows.unsqueeze(1), -inf);
    Tensor pos = local.index_select(0, rows).unsqueeze(1).eq(local.unsqueeze(0));
    pos.scatter_(1, rows.unsqueeze(1), false);
    const Tensor lseAll = s.logsumexp(1, true);
    const Tensor lsePos = s.masked_fill(pos.logical_not(), -inf).logsumexp(1, true);
    ell.index_copy_(0, rows, (lseAll - lsePos).squeeze(1).to(ell.dtype()));
    const Tensor rowsG = (s - lseAll).exp() - (s - lsePos).exp().mul(pos);
    g.index_copy_(0, rows, rowsG.to(g.dtype()));
}

/// Attaches the precomputed gradient to the loss value when the caller wants gradients
/// (decided before the loss body entered its NoGradGuard).
Tensor finish(bool wantGrad, const Tensor& x, const Tensor& value, const Normalised& n,
              const Tensor& g, double tau) {
    if (!wantGrad) return value;
    torch::AutoGradMode enable(true);
    return ContrastiveFn::apply(x, value, n.z, n.norm, g, tau);
}

/// Shared by SuNCEt and SupCon L_in: ℓ_i = −Σ_c Ys_ic log P_ic with P_ic = Σ_j p_ij Ys_jc
/// (ε = 0: −log of the positive mass), and G = p ∘ (1 − a) with a_ij = Σ_c Ys_ic Ys_jc / P_ic.
/// Overwrites p with the unweighted gradient rows. Returns ℓ (A).
Tensor smoothedPositiveLoss(const Tensor& z, const Tensor& local, std::int64_t numClasses,
                            Tensor& p, double eps, double tau) {
    const std::int64_t a = p.size(0);
    const Tensor y = F::one_hot(local, numClasses).to(p.dtype()); // N×C
    const Tensor ys = y * (1.0 - eps) + eps / double(numClasses); // smoothed
    const Tensor q = p.mm(y);                                     // A×C positive mass per class
    const Tensor localA = local.narrow(0, 0, a);
    const Tensor pc = q * (1.0 - eps) + eps / double(numClasses); // P_ic
    Tensor ell, b;
    if (eps == 0.0) {
        const Tensor qy = q.gather(1, localA.unsqueeze(1)).squeeze(1);
        ell = -qy.clamp_min(tiny(p)).log();
        b = y.narrow(0, 0, a) / qy.clamp_min(tiny(p)).unsqueeze(1);
    } else {
        const Tensor ysA = ys.narrow(0, 0, a);
        ell = -(ysA * pc.log()).sum(1);
        b = ysA / pc;
    }
    const Tensor beta = b.sum(1, true) * (eps / double(numClasses));
    // a_ij = β_i + (1−ε) B_{i, y_j}; G = p (1 − a), formed in place of a temporary A×N.
    Tensor acol = b.index_select(1, local);
    acol.mul_(-(1.0 - eps)).add_(1.0 - beta);
    p.mul_(acol);
    acol = Tensor();
    if (eps == 0.0) {
        // Rows whose positive mass underflowed: recompute exactly, G = p − r.
        const Tensor counts = y.sum(0);
        const Tensor hasPos = counts.index_select(0, localA) > 1.5;
        const Tensor qy = q.gather(1, localA.unsqueeze(1)).squeeze(1);
        const Tensor rows = (hasPos & (qy < tiny(p))).nonzero().squeeze(1);
        if (rows.numel() > 0) exactPositiveRows(z, local, rows, tau, ell, p);
    }
    return ell;
}

struct Labels {
    Tensor local;         ///< [N] ids 0..C-1 of the classes present
    std::int64_t classes; ///< C
};

Labels localLabels(const Tensor& labels, const Tensor& z) {
    const auto [unique, inverse] = at::_unique(labels.to(z.device()).to(torch::kLong), true, true);
    return {inverse, unique.size(0)};
}

std::atomic<bool> fusedEnabled{true};

/// Whether the fused CPU rows (SoftmaxRows.h) handle this input; elsewhere (CUDA) and for
/// non-finite embeddings (whose NaNs must reach the loss) the whole-tensor path runs.
bool fused(const Tensor& z) {
    return fusedEnabled.load(std::memory_order_relaxed) && z.device().is_cpu() &&
           (z.scalar_type() == torch::kFloat || z.scalar_type() == torch::kDouble) &&
           torch::isfinite(z).all().item<bool>();
}

/// An A×N buffer for S and then G. The last one (up to 4096² elements) is kept per thread and
/// reused once nothing else holds it (the autograd graph releases it after backward): a fresh
/// N×N allocation is mmap'ed and costs a page fault per 4 KiB on first touch — 16 ms at
/// N = 4096. Larger ones (e.g. a snapshot's 5000-point probe) are not kept.
Tensor scratchMatrix(std::int64_t a, std::int64_t n, const torch::TensorOptions& options) {
    constexpr std::int64_t kKeep = std::int64_t(4096) * 4096;
    thread_local Tensor cache;
    if (cache.defined() && cache.storage().use_count() == 1 && cache.dtype() == options.dtype() &&
        cache.numel() >= a * n)
        return cache.narrow(0, 0, a * n).view({a, n});
    Tensor fresh = torch::empty({a * n}, options);
    if (a * n <= kKeep) cache = fresh;
    return fresh.view({a, n});
}

struct FusedRows {
    Tensor g, lse, ell, qy; ///< g: A×N dL/dS·weight; lse, ell, qy: [A]
};

/// S = z_A zᵀ (one matmul), then every row's softmax, target and weighted gradient in place,
/// rows spread over LibTorch's intra-op threads.
FusedRows fusedRows(const Tensor& z, std::int64_t a, const Tensor& local, std::int64_t classes,
                    double tau, double eps, kernels::Target target, const Tensor& weight) {
    FusedRows out;
    out.g = scratchMatrix(a, z.size(0), z.options());
    torch::mm_out(out.g, z.narrow(0, 0, a), z.t());
    const Tensor labels = local.to(torch::kInt).contiguous();
    const Tensor w = weight.to(z.scalar_type()).contiguous();
    out.lse = torch::empty({a}, z.options());
    out.ell = torch::zeros({a}, z.options());
    out.qy = torch::zeros({a}, z.options());
    kernels::RowArgs args;
    args.labels = labels.data_ptr<std::int32_t>();
    args.n = z.size(0);
    args.classes = classes;
    args.invTau = 1.0 / tau;
    args.eps = eps;
    args.target = target;
    const std::int64_t grain = std::max<std::int64_t>(1, 65536 / std::max<std::int64_t>(args.n, 1));
    auto run = [&](auto* s, const auto* wp, auto* lse, auto* ell, auto* qy) {
        at::parallel_for(0, a, grain, [&](std::int64_t r0, std::int64_t r1) {
            kernels::softmaxGradientRows(s, r0, r1, args, wp, lse, ell, qy);
        });
    };
    if (z.scalar_type() == torch::kFloat)
        run(out.g.data_ptr<float>(), w.data_ptr<float>(), out.lse.data_ptr<float>(),
            out.ell.data_ptr<float>(), out.qy.data_ptr<float>());
    else
        run(out.g.data_ptr<double>(), w.data_ptr<double>(), out.lse.data_ptr<double>(),
            out.ell.data_ptr<double>(), out.qy.data_ptr<double>());
    return out;
}

/// Anchors whose positive mass underflowed (ε = 0, very small τ): exact float64 rows, weighted.
void fixUnderflowRows(const Tensor& z, const Tensor& local, const Tensor& hasPos, double tau,
                      const Tensor& weight, FusedRows& f) {
    const Tensor rows = (hasPos & (f.qy < tiny(f.g))).nonzero().squeeze(1);
    if (rows.numel() == 0) return;
    exactPositiveRows(z, local, rows, tau, f.ell, f.g);
    f.g.index_copy_(0, rows,
                    f.g.index_select(0, rows) *
                        weight.index_select(0, rows).to(f.g.dtype()).unsqueeze(1));
}

} // namespace

LossOutput suncet(const Tensor& x, const Tensor& labels, const SuNCEtOptions& o) {
    checkInputs(x, "suncet");
    checkLabels(x, labels, "suncet");
    if (!(o.temperature > 0)) throw Error("suncet: temperature must be > 0");
    if (!(o.labelSmoothing >= 0 && o.labelSmoothing < 1))
        throw Error("suncet: label smoothing must be in [0, 1)");
    const bool wantGrad = torch::GradMode::is_enabled() && x.requires_grad();
    torch::NoGradGuard noGrad;
    const Normalised n = normalise(x.detach());
    const auto lab = localLabels(labels, x);
    const Tensor counts = torch::bincount(lab.local, {}, lab.classes);
    const Tensor hasPos = counts.index_select(0, lab.local) > 1;
    const std::int64_t valid = hasPos.sum().item<std::int64_t>();
    const double denom = valid > 0 ? double(valid) : 1.0;
    Tensor p, ell;
    if (fused(n.z)) {
        const Tensor weight = hasPos.to(n.z.dtype()) / denom;
        FusedRows f = fusedRows(n.z, x.size(0), lab.local, lab.classes, o.temperature,
                                o.labelSmoothing, kernels::Target::Positives, weight);
        if (o.labelSmoothing == 0.0)
            fixUnderflowRows(n.z, lab.local, hasPos, o.temperature, weight, f);
        p = f.g;
        ell = f.ell;
    } else {
        p = rowSoftmax(n.z, x.size(0), o.temperature).p;
        ell = smoothedPositiveLoss(n.z, lab.local, lab.classes, p, o.labelSmoothing, o.temperature);
        p.mul_(hasPos.to(p.dtype()).unsqueeze(1) / denom);
    }
    ell = ell.masked_fill(hasPos.logical_not(), 0.0);
    LossOutput out;
    out.loss = finish(wantGrad, x, ell.sum() / denom, n, p, o.temperature);
    out.perAnchor = ell;
    out.hasPositive = hasPos;
    out.anchorsWithoutPositives = x.size(0) - valid;
    return out;
}

LossOutput supcon(const Tensor& x, const Tensor& labels, const SupConOptions& o) {
    checkInputs(x, "supcon");
    checkLabels(x, labels, "supcon");
    if (!(o.temperature > 0) || !(o.baseTemperature > 0))
        throw Error("supcon: temperatures must be > 0");
    if (o.views < 1 || x.size(0) % o.views != 0)
        throw Error("supcon: " + std::to_string(x.size(0)) + " rows are not a multiple of " +
                    std::to_string(o.views) + " views");
    const bool wantGrad = torch::GradMode::is_enabled() && x.requires_grad();
    torch::NoGradGuard noGrad;
    const Normalised n = normalise(x.detach());
    const auto lab = localLabels(labels, x);
    const std::int64_t a = o.contrast == ContrastMode::One ? x.size(0) / o.views : x.size(0);
    const Tensor localA = lab.local.narrow(0, 0, a);
    const Tensor counts = torch::bincount(lab.local, {}, lab.classes);
    const Tensor numPos = counts.index_select(0, localA) - 1;
    const Tensor hasPos = numPos > 0;
    const double scale = o.temperature / o.baseTemperature;
    const Tensor weight = hasPos.to(n.z.dtype()) * (scale / double(a));
    const bool isFused = fused(n.z);
    Tensor p, lse, ell;
    if (isFused) {
        const bool out = o.variant == SupConVariant::Out;
        FusedRows f =
            fusedRows(n.z, a, lab.local, lab.classes, o.temperature, 0.0,
                      out ? kernels::Target::MeanPositives : kernels::Target::Positives, weight);
        if (!out) fixUnderflowRows(n.z, lab.local, hasPos, o.temperature, weight, f);
        p = f.g;
        lse = f.lse;
        ell = f.ell;
    } else {
        auto sm = rowSoftmax(n.z, a, o.temperature);
        p = sm.p;
        lse = sm.lse;
    }
    if (o.variant == SupConVariant::Out) {
        // Σ_{p∈P(i)} S_ip = z_i·(Σ_{class} z − z_i)/τ — no N×N mask needed for the value.
        const Tensor classSum =
            torch::zeros({lab.classes, x.size(1)}, n.z.options()).index_add_(0, lab.local, n.z);
        const Tensor zA = n.z.narrow(0, 0, a);
        const Tensor posSum =
            ((zA * classSum.index_select(0, localA)).sum(1) - (zA * zA).sum(1)) / o.temperature;
        const Tensor np = numPos.clamp_min(1).to(p.dtype());
        ell = (lse - posSum / np).masked_fill(hasPos.logical_not(), 0.0) * scale;
        if (!isFused) { // G = p − m/|P(i)|
            Tensor eq = localA.unsqueeze(1).eq(lab.local.unsqueeze(0)).to(p.dtype());
            eq.diagonal().zero_();
            p.sub_(eq.div_(np.unsqueeze(1)));
        }
    } else {
        if (!isFused)
            ell = smoothedPositiveLoss(n.z, lab.local, lab.classes, p, 0.0, o.temperature);
        ell =
            (ell + numPos.clamp_min(1).to(p.dtype()).log()).masked_fill(hasPos.logical_not(), 0.0) *
            scale;
    }
    if (!isFused) p.mul_(weight.unsqueeze(1));
    LossOutput out;
    out.loss = finish(wantGrad, x, ell.sum() / double(a), n, p, o.temperature);
    out.perAnchor = ell;
    out.hasPositive = hasPos;
    out.anchorsWithoutPositives = a - hasPos.sum().item<std::int64_t>();
    return out;
}

LossOutput ntxent(const Tensor& x, const NTXentOptions& o) {
    checkInputs(x, "ntxent");
    if (x.size(0) % 2 != 0)
        throw Error("ntxent: rows must be two views (even N), got " + std::to_string(x.size(0)));
    if (!(o.temperature > 0)) throw Error("ntxent: temperature must be > 0");
    const bool wantGrad = torch::GradMode::is_enabled() && x.requires_grad();
    torch::NoGradGuard noGrad;
    const Normalised n = normalise(x.detach());
    const std::int64_t rows = x.size(0), half = rows / 2;
    Tensor p, lse;
    const bool isFused = fused(n.z);
    if (isFused) {
        FusedRows f = fusedRows(n.z, rows, torch::zeros({rows}, torch::kLong), 1, o.temperature,
                                0.0, kernels::Target::Partner,
                                torch::full({rows}, 1.0 / double(rows), n.z.options()));
        p = f.g;
        lse = f.lse;
    } else {
        auto sm = rowSoftmax(n.z, rows, o.temperature);
        p = sm.p;
        lse = sm.lse;
    }
    const Tensor partner =
        (torch::arange(rows, torch::TensorOptions().dtype(torch::kLong).device(x.device())) +
         half) %
        rows;
    const Tensor sPartner = (n.z * n.z.index_select(0, partner)).sum(1) / o.temperature;
    const Tensor ell = lse - sPartner;
    if (!isFused) {
        p.scatter_add_(1, partner.unsqueeze(1), -torch::ones({rows, 1}, p.options()));
        p.div_(double(rows));
    }
    LossOutput out;
    out.loss = finish(wantGrad, x, ell.mean(), n, p, o.temperature);
    out.perAnchor = ell;
    out.hasPositive =
        torch::ones({rows}, torch::TensorOptions().dtype(torch::kBool).device(x.device()));
    return out;
}

void setFusedCpuLosses(bool on) {
    fusedEnabled.store(on);
}

} // namespace core

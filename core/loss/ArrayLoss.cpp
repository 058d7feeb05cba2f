#include "core/loss/ArrayLoss.h"

#include <torch/torch.h>

#include "core/loss/Losses.h"
#include "core/train/TrainConfig.h"
#include "core/util/Error.h"

namespace core {

ArrayLossResult evaluateArrayLoss(const NpyArray& e, const std::string& eName,
                                  const NpyArray* labels, const std::string& lName,
                                  const ArrayLossRequest& req) {
    const LossKind kind = parseLoss(req.loss);
    if (kind == LossKind::SimCLRSuNCEt)
        throw Error("loss: simclr+suncet needs two batches; evaluate ntxent and suncet separately");
    if (e.shape.size() != 2)
        throwInFile(eName, "embeddings must be 2-D [N, D], got " + std::to_string(e.shape.size()) +
                               " dimensions");
    if (e.type != NpyType::F4 && e.type != NpyType::F8)
        throwInFile(eName, "embeddings must be float32 or float64");
    const auto n = std::int64_t(e.shape[0]), d = std::int64_t(e.shape[1]);
    if (n < 2 || d < 1) throwInFile(eName, "need at least 2 rows and 1 column");
    const auto values = e.toDouble();
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            throwInFile(eName, "element " + std::to_string(i) + " is NaN or infinite");
    const auto dtype = req.float64 ? torch::kDouble : torch::kFloat;
    torch::Tensor z = torch::from_blob(const_cast<double*>(values.data()), {n, d}, torch::kDouble)
                          .to(dtype)
                          .clone();
    torch::Tensor y;
    if (kind != LossKind::NTXent) {
        if (!labels) throw Error("loss: --labels is required for " + req.loss);
        if (labels->shape.size() != 1 || std::int64_t(labels->shape[0]) != n)
            throwInFile(lName, "labels must be [N] with N = " + std::to_string(n));
        if (labels->type == NpyType::F4 || labels->type == NpyType::F8)
            throwInFile(lName, "labels must be integers");
        const auto l = labels->toInt64(lName);
        y = torch::tensor(l, torch::kLong);
    } else if (n % 2 != 0) {
        throwInFile(eName,
                    "ntxent needs an even number of rows (two views), got " + std::to_string(n));
    }
    const double tau = req.temperature.value_or(defaultTemperature(kind));
    z.set_requires_grad(req.gradient);
    LossOutput out;
    if (kind == LossKind::SuNCEt)
        out = suncet(z, y, {tau, req.labelSmoothing});
    else if (kind == LossKind::NTXent)
        out = ntxent(z, {tau});
    else
        out = supcon(z, y,
                     {tau, req.baseTemperature,
                      kind == LossKind::SupConIn ? SupConVariant::In : SupConVariant::Out});
    ArrayLossResult r;
    r.loss = out.loss.item<double>();
    r.anchorsWithoutPositives = out.anchorsWithoutPositives;
    r.n = n;
    r.d = d;
    if (req.gradient) {
        out.loss.backward();
        const torch::Tensor g = z.grad().to(torch::kDouble).contiguous();
        r.gradient.assign(g.data_ptr<double>(), g.data_ptr<double>() + g.numel());
    }
    return r;
}

} // namespace core

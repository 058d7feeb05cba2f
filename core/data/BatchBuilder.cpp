#include "core/data/BatchBuilder.h"

#include <ATen/CPUGeneratorImpl.h>

#include "core/util/Error.h"

namespace core {

AugmentOptions defaultAugment(const Dataset& ds, const std::string& encoder, bool enabled) {
    AugmentOptions a;
    a.enabled = enabled;
    if (ds.isImage()) {
        // Shifted crops suit translation-equivariant conv nets; an MLP on pixels loses more
        // from them than it gains (measured on Fashion-MNIST: SNN top-1 0.83 vs 0.87 at 300 steps).
        a.cropPadding = encoder == "mlp" ? 0 : std::max(1, std::min(ds.height, ds.width) / 14);
        a.flip = ds.channels == 3;
    }
    return a;
}

namespace {
torch::Tensor splitTensor(const Dataset& ds, const Split& s) {
    const auto n = std::int64_t(s.size());
    if (ds.isImage())
        return torch::from_blob(const_cast<std::uint8_t*>(s.images.data()),
                                {n, ds.channels, ds.height, ds.width}, torch::kUInt8)
            .clone();
    return torch::from_blob(const_cast<float*>(s.features.data()), {n, ds.featureDim},
                            torch::kFloat)
        .clone();
}
torch::Tensor labelTensor(const Split& s) {
    return torch::from_blob(const_cast<std::int64_t*>(s.labels.data()), {std::int64_t(s.size())},
                            torch::kLong)
        .clone();
}
} // namespace

BatchBuilder::BatchBuilder(const Dataset& ds, torch::Device device, const AugmentOptions& augment,
                           std::uint64_t seed)
    : image_(ds.isImage()), device_(device), augment_(augment),
      gen_(at::make_generator<at::CPUGeneratorImpl>(seed)) {
    trainX_ = splitTensor(ds, ds.train);
    testX_ = splitTensor(ds, ds.test);
    trainY_ = labelTensor(ds.train).to(device);
    testY_ = labelTensor(ds.test).to(device);
    // Normalisation statistics from train, per channel (images, in [0,1] units) or per feature.
    if (image_) {
        const auto x =
            trainX_.to(torch::kFloat).div_(255.0).transpose(0, 1).reshape({ds.channels, -1});
        mean_ = x.mean(1).view({1, ds.channels, 1, 1});
        std_ = x.std(1).clamp_min(1e-3).view({1, ds.channels, 1, 1});
    } else {
        mean_ = trainX_.mean(0, true);
        std_ = trainX_.std(0, true, true).clamp_min(1e-6);
    }
    trainX_ = trainX_.to(device);
    testX_ = testX_.to(device);
    mean_ = mean_.to(device);
    std_ = std_.to(device);
}

torch::Tensor BatchBuilder::toInput(const torch::Tensor& raw) const {
    if (image_) return raw.to(torch::kFloat).div_(255.0).sub_(mean_).div_(std_);
    return (raw - mean_).div_(std_);
}

torch::Tensor BatchBuilder::augmentImages(torch::Tensor x) {
    const auto b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const auto cpu = torch::TensorOptions().dtype(torch::kFloat);
    if (augment_.cropPadding > 0) {
        const int64_t p = augment_.cropPadding;
        const torch::Tensor padded = torch::constant_pad_nd(x, {p, p, p, p}, 0.0);
        const auto longs = torch::TensorOptions().dtype(torch::kLong);
        const torch::Tensor oy = torch::randint(0, 2 * p + 1, {b, 1}, gen_, longs).to(device_);
        const torch::Tensor ox = torch::randint(0, 2 * p + 1, {b, 1}, gen_, longs).to(device_);
        const auto dl = torch::TensorOptions().dtype(torch::kLong).device(device_);
        const torch::Tensor rows =
            (oy + torch::arange(h, dl)).view({b, 1, h, 1}).expand({b, c, h, w + 2 * p});
        const torch::Tensor cols =
            (ox + torch::arange(w, dl)).view({b, 1, 1, w}).expand({b, c, h, w});
        x = padded.gather(2, rows).gather(3, cols);
    }
    if (augment_.flip) {
        const torch::Tensor flip = (torch::rand({b, 1, 1, 1}, gen_, cpu) < 0.5).to(device_);
        x = torch::where(flip, x.flip(3), x);
    }
    if (augment_.contrast > 0) {
        const torch::Tensor f =
            (1.0 + (torch::rand({b, 1, 1, 1}, gen_, cpu) * 2 - 1) * augment_.contrast).to(device_);
        const torch::Tensor m = x.mean({1, 2, 3}, true);
        x = (x - m) * f + m;
    }
    if (augment_.brightness > 0)
        x = x + ((torch::rand({b, 1, 1, 1}, gen_, cpu) * 2 - 1) * augment_.brightness).to(device_);
    if (augment_.noise > 0) {
        const torch::Tensor sigma =
            (torch::rand({b, 1, 1, 1}, gen_, cpu) * augment_.noise).to(device_);
        x = x + torch::randn(x.sizes(), gen_, cpu).to(device_) * sigma;
    }
    return x.clamp_(0.0, 1.0);
}

torch::Tensor BatchBuilder::augmentFeatures(torch::Tensor x) {
    const auto cpu = torch::TensorOptions().dtype(torch::kFloat);
    if (augment_.featureNoise > 0)
        x = x + torch::randn(x.sizes(), gen_, cpu).to(device_) * augment_.featureNoise;
    if (augment_.featureDropout > 0)
        x = x * (torch::rand(x.sizes(), gen_, cpu) >= augment_.featureDropout)
                    .to(device_)
                    .to(torch::kFloat);
    return x;
}

torch::Tensor BatchBuilder::trainBatch(const std::vector<std::int64_t>& idx, int views) {
    const torch::Tensor index = torch::from_blob(const_cast<std::int64_t*>(idx.data()),
                                                 {std::int64_t(idx.size())}, torch::kLong)
                                    .to(device_);
    const torch::Tensor raw = trainX_.index_select(0, index);
    std::vector<torch::Tensor> out;
    for (int v = 0; v < views; ++v) {
        if (!augment_.enabled)
            out.push_back(toInput(raw));
        else if (image_) {
            torch::Tensor x = augmentImages(raw.to(torch::kFloat).div(255.0));
            out.push_back(x.sub_(mean_).div_(std_));
        } else {
            out.push_back(augmentFeatures(toInput(raw)));
        }
    }
    return views == 1 ? out[0] : torch::cat(out, 0);
}

torch::Tensor BatchBuilder::trainLabels(const std::vector<std::int64_t>& idx, int views) const {
    const torch::Tensor index = torch::from_blob(const_cast<std::int64_t*>(idx.data()),
                                                 {std::int64_t(idx.size())}, torch::kLong)
                                    .to(device_);
    const torch::Tensor y = trainY_.index_select(0, index);
    return views == 1 ? y : y.repeat({views});
}

torch::Tensor BatchBuilder::evalInputs(bool test, std::int64_t start, std::int64_t count) const {
    return toInput((test ? testX_ : trainX_).narrow(0, start, count));
}

torch::Tensor BatchBuilder::evalRows(bool test, const torch::Tensor& index) const {
    return toInput((test ? testX_ : trainX_).index_select(0, index.to(device_)));
}

torch::Tensor BatchBuilder::generatorState() const {
    return gen_.get_state();
}

void BatchBuilder::setGeneratorState(const torch::Tensor& state) {
    gen_.set_state(state);
}

} // namespace core

#include "core/model/Encoders.h"

#include "core/util/Error.h"

namespace core {

namespace nn = torch::nn;

MlpBackboneImpl::MlpBackboneImpl(const MlpBackboneOptions& o) : options_(o) {
    fc1_ = register_module("fc1", nn::Linear(nn::LinearOptions(o.in(), o.hidden()).bias(false)));
    bn1_ = register_module("bn1", nn::BatchNorm1d(o.hidden()));
    fc2_ =
        register_module("fc2", nn::Linear(nn::LinearOptions(o.hidden(), o.hidden()).bias(false)));
    bn2_ = register_module("bn2", nn::BatchNorm1d(o.hidden()));
    fc3_ = register_module("fc3", nn::Linear(o.hidden(), o.out()));
}

torch::Tensor MlpBackboneImpl::forward(torch::Tensor x) {
    x = x.flatten(1);
    x = torch::relu(bn1_->forward(fc1_->forward(x)));
    x = torch::relu(bn2_->forward(fc2_->forward(x)));
    return fc3_->forward(x);
}

namespace {
/// conv 3×3 → BN → ReLU (→ max-pool) appended to `s` (Sequentials cannot nest in LibTorch).
void addConvBlock(nn::Sequential& s, int64_t in, int64_t out, bool pool) {
    s->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
    s->push_back(nn::BatchNorm2d(out));
    s->push_back(nn::ReLU(nn::ReLUOptions(true)));
    if (pool) s->push_back(nn::MaxPool2d(2));
}
} // namespace

CnnSmallImpl::CnnSmallImpl(const CnnSmallOptions& o) {
    nn::Sequential s;
    addConvBlock(s, o.channels(), 32, true);
    addConvBlock(s, 32, 64, true);
    addConvBlock(s, 64, 128, false);
    s->push_back(nn::AdaptiveAvgPool2d(1));
    s->push_back(nn::Flatten());
    blocks_ = register_module("blocks", s);
}

torch::Tensor CnnSmallImpl::forward(torch::Tensor x) {
    return blocks_->forward(x);
}

BasicBlockImpl::BasicBlockImpl(int64_t in, int64_t out, int64_t stride) {
    conv1_ = register_module(
        "conv1", nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false)));
    bn1_ = register_module("bn1", nn::BatchNorm2d(out));
    conv2_ =
        register_module("conv2", nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1).bias(false)));
    bn2_ = register_module("bn2", nn::BatchNorm2d(out));
    if (stride != 1 || in != out) {
        shortcut_ = register_module(
            "shortcut", nn::Conv2d(nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)));
        shortcutBn_ = register_module("shortcut_bn", nn::BatchNorm2d(out));
    }
}

torch::Tensor BasicBlockImpl::forward(torch::Tensor x) {
    torch::Tensor y = torch::relu(bn1_->forward(conv1_->forward(x)));
    y = bn2_->forward(conv2_->forward(y));
    const torch::Tensor skip = shortcut_ ? shortcutBn_->forward(shortcut_->forward(x)) : x;
    return torch::relu(y + skip);
}

ResNetTinyImpl::ResNetTinyImpl(const ResNetTinyOptions& o) : width_(o.width()) {
    const int64_t w = o.width();
    body_ = register_module(
        "body",
        nn::Sequential(nn::Conv2d(nn::Conv2dOptions(o.channels(), w, 3).padding(1).bias(false)),
                       nn::BatchNorm2d(w), nn::ReLU(nn::ReLUOptions(true)), BasicBlock(w, w, 1),
                       BasicBlock(w, 2 * w, 2), BasicBlock(2 * w, 4 * w, 2),
                       nn::AdaptiveAvgPool2d(1), nn::Flatten()));
}

torch::Tensor ResNetTinyImpl::forward(torch::Tensor x) {
    return body_->forward(x);
}

ProjectionHeadImpl::ProjectionHeadImpl(const ProjectionHeadOptions& o) {
    const int64_t hidden = o.hidden() > 0 ? o.hidden() : o.in();
    layers_ = register_module(
        "layers", nn::Sequential(nn::Linear(nn::LinearOptions(o.in(), hidden).bias(false)),
                                 nn::BatchNorm1d(hidden), nn::ReLU(nn::ReLUOptions(true)),
                                 nn::Linear(hidden, o.out())));
}

torch::Tensor ProjectionHeadImpl::forward(torch::Tensor x) {
    return layers_->forward(x);
}

void checkEncoderFits(const ContrastiveNetOptions& o) {
    const bool tabular = o.featureDim() > 0;
    if (o.encoder() != "mlp" && o.encoder() != "cnn-small" && o.encoder() != "resnet-tiny")
        throw Error("unknown encoder '" + o.encoder() + "' (mlp, cnn-small, resnet-tiny)");
    if (tabular && o.encoder() != "mlp")
        throw Error("encoder '" + o.encoder() + "' needs images; tabular data uses mlp");
    if (!tabular && (o.height() < 8 || o.width() < 8) && o.encoder() != "mlp")
        throw Error("encoder '" + o.encoder() + "' needs images of at least 8x8");
    if (o.embedDim() < 2 || o.embedDim() > 4096) throw Error("embed dim must be in 2..4096");
}

ContrastiveNetImpl::ContrastiveNetImpl(const ContrastiveNetOptions& o) : options_(o) {
    checkEncoderFits(o);
    int64_t out = 0;
    if (o.encoder() == "mlp") {
        const int64_t in =
            o.featureDim() > 0 ? o.featureDim() : o.channels() * o.height() * o.width();
        MlpBackbone m(MlpBackboneOptions(in, 256));
        out = m->outDim();
        backbone_ = register_module("backbone", nn::Sequential(m));
    } else if (o.encoder() == "cnn-small") {
        CnnSmall m(CnnSmallOptions(o.channels()));
        out = m->outDim();
        backbone_ = register_module("backbone", nn::Sequential(m));
    } else {
        ResNetTiny m(ResNetTinyOptions(o.channels()));
        out = m->outDim();
        backbone_ = register_module("backbone", nn::Sequential(m));
    }
    head_ = register_module("head", ProjectionHead(ProjectionHeadOptions(out, o.embedDim())));
}

} // namespace core

#pragma once
/// Encoders in LibTorch's idiom (Options + Impl + TORCH_MODULE): three backbones and the
/// projection head, combined by ContrastiveNet.

#include <torch/torch.h>

#include <string>

namespace core {

struct MlpBackboneOptions {
    MlpBackboneOptions(int64_t in, int64_t out = 256) : in_(in), out_(out) {}
    TORCH_ARG(int64_t, in);
    TORCH_ARG(int64_t, hidden) = 512;
    TORCH_ARG(int64_t, out);
};

/// flatten → 512 → BN → ReLU → 512 → BN → ReLU → out
class MlpBackboneImpl : public torch::nn::Module {
  public:
    explicit MlpBackboneImpl(const MlpBackboneOptions& options);
    torch::Tensor forward(torch::Tensor x);
    int64_t outDim() const { return options_.out(); }

  private:
    MlpBackboneOptions options_;
    torch::nn::Linear fc1_{nullptr}, fc2_{nullptr}, fc3_{nullptr};
    torch::nn::BatchNorm1d bn1_{nullptr}, bn2_{nullptr};
};
TORCH_MODULE(MlpBackbone);

struct CnnSmallOptions {
    explicit CnnSmallOptions(int64_t channels) : channels_(channels) {}
    TORCH_ARG(int64_t, channels);
};

/// Three conv blocks (32/64/128, 3×3, BN, ReLU; max-pool after the first two), global average pool.
class CnnSmallImpl : public torch::nn::Module {
  public:
    explicit CnnSmallImpl(const CnnSmallOptions& options);
    torch::Tensor forward(torch::Tensor x);
    int64_t outDim() const { return 128; }

  private:
    torch::nn::Sequential blocks_{nullptr};
};
TORCH_MODULE(CnnSmall);

struct ResNetTinyOptions {
    explicit ResNetTinyOptions(int64_t channels) : channels_(channels) {}
    TORCH_ARG(int64_t, channels);
    TORCH_ARG(int64_t, width) = 32;
};

/// A residual block: two 3×3 convs with BN, identity or 1×1 projection shortcut.
class BasicBlockImpl : public torch::nn::Module {
  public:
    BasicBlockImpl(int64_t in, int64_t out, int64_t stride);
    torch::Tensor forward(torch::Tensor x);

  private:
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, shortcut_{nullptr};
    torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr}, shortcutBn_{nullptr};
};
TORCH_MODULE(BasicBlock);

/// Stem 3×3 conv (width) then three stages (width, 2·width, 4·width; stride 1, 2, 2), GAP.
/// Meant for 32×32 colour images; works for any size ≥ 8.
class ResNetTinyImpl : public torch::nn::Module {
  public:
    explicit ResNetTinyImpl(const ResNetTinyOptions& options);
    torch::Tensor forward(torch::Tensor x);
    int64_t outDim() const { return 4 * width_; }

  private:
    int64_t width_;
    torch::nn::Sequential body_{nullptr};
};
TORCH_MODULE(ResNetTiny);

struct ProjectionHeadOptions {
    ProjectionHeadOptions(int64_t in, int64_t out) : in_(in), out_(out) {}
    TORCH_ARG(int64_t, in);
    TORCH_ARG(int64_t, hidden) = 0; ///< 0 = same as in
    TORCH_ARG(int64_t, out);
};

/// Linear → BN → ReLU → Linear
class ProjectionHeadImpl : public torch::nn::Module {
  public:
    explicit ProjectionHeadImpl(const ProjectionHeadOptions& options);
    torch::Tensor forward(torch::Tensor x);

  private:
    torch::nn::Sequential layers_{nullptr};
};
TORCH_MODULE(ProjectionHead);

struct ContrastiveNetOptions {
    TORCH_ARG(std::string, encoder) = "mlp"; ///< mlp | cnn-small | resnet-tiny
    TORCH_ARG(int64_t, channels) = 1;        ///< image channels (0 for tabular)
    TORCH_ARG(int64_t, height) = 28;
    TORCH_ARG(int64_t, width) = 28;
    TORCH_ARG(int64_t, featureDim) = 0; ///< tabular input dimension (images: 0)
    TORCH_ARG(int64_t, embedDim) = 128;
};

/// Backbone + projection head. forward returns the head output; features() the backbone's.
class ContrastiveNetImpl : public torch::nn::Module {
  public:
    explicit ContrastiveNetImpl(const ContrastiveNetOptions& options);
    torch::Tensor forward(torch::Tensor x) { return head_->forward(features(x)); }
    torch::Tensor features(torch::Tensor x) { return backbone_->forward(x); }
    const ContrastiveNetOptions& options() const { return options_; }

  private:
    ContrastiveNetOptions options_;
    torch::nn::Sequential backbone_{nullptr};
    ProjectionHead head_{nullptr};
};
TORCH_MODULE(ContrastiveNet);

/// Throws core::Error for an encoder that does not fit the data (e.g. a CNN on tabular data).
void checkEncoderFits(const ContrastiveNetOptions& options);

} // namespace core

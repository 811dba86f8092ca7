// The loaded kind's registry entry: a user's network saved from Python with torch.jit.save,
// called as forward(x, t) with lindiff's inputs and evaluated like a trained cell
// (docs/denoisers.md#your-own-network). The one file that includes LibTorch's TorchScript loader.
#include <filesystem>
#include <string>
#include <vector>

#include <torch/script.h>
#include <torch/torch.h>

#include "src/common/error.h"
#include "src/denoisers/builtin_kinds.h"

namespace lindiff {

namespace {

// The first line of a LibTorch error, without the C++ backtrace that follows it.
std::string first_line(const c10::Error& e) {
  const std::string text = e.what_without_backtrace();
  return text.substr(0, text.find('\n'));
}

// The timestep the network reads for each step t = 1..T of `schedule` (index t - 1): the original
// step of a respaced chain, counted from 1 or from 0 as the network was trained.
at::Tensor network_timesteps(const Schedule& schedule, TimestepBase base, c10::Device device) {
  std::vector<std::int64_t> steps;
  for (const int step : schedule.source_steps()) steps.push_back(step - (base == TimestepBase::kZeroBased ? 1 : 0));
  return torch::tensor(steps, torch::kLong).to(device);
}

// A TorchScript module as a Denoiser: x [B, d] reshaped as the network takes it, t mapped to its
// own timesteps, the output checked against the input's shape. O(one forward pass).
class TorchScriptDenoiser : public Denoiser {
 public:
  TorchScriptDenoiser(torch::jit::Module module, const LoadInputs& in)
      : Denoiser(in.schedule, in.network.objective, in.device),
        module_(std::move(module)),
        file_(in.network.file),
        shape_(in.shape),
        image_(in.network.input == NetworkInput::kImage),
        timesteps_(network_timesteps(in.schedule, in.network.timestep, in.device)) {}

  // The shape the network takes for a batch of b rows.
  std::vector<std::int64_t> input_sizes(std::int64_t b) const {
    if (image_) return {b, shape_.channels, shape_.height, shape_.width};
    return {b, shape_.size()};
  }

 protected:
  at::Tensor native(const at::Tensor& x, const at::Tensor& t) const override {
    const std::int64_t b = x.size(0);
    const at::Tensor input = x.to(torch::kFloat).reshape(input_sizes(b));
    const at::Tensor steps = timesteps_.index_select(0, t.to(torch::kLong) - 1);
    at::Tensor output;
    try {
      output = module_.forward({input, steps}).toTensor();
    } catch (const c10::Error& e) {
      throw DataError("'" + file_ + "': forward(x, t) failed on x " + sizes_text(input.sizes()) + " float32 and t [" +
                      std::to_string(b) + "] int64: " + first_line(e));
    }
    if (output.sizes() != input.sizes()) {
      throw DataError("'" + file_ + "': forward(x, t) returned a tensor of shape " + sizes_text(output.sizes()) +
                      " for x of shape " + sizes_text(input.sizes()) +
                      "; a denoiser returns its prediction shaped like x (check the entry's input: image | flat)");
    }
    return output.to(x.scalar_type()).reshape({b, shape_.size()});
  }

 private:
  static std::string sizes_text(at::IntArrayRef sizes) {
    std::string text = "[";
    for (std::size_t i = 0; i < sizes.size(); ++i) text += (i ? ", " : "") + std::to_string(sizes[i]);
    return text + "]";
  }

  mutable torch::jit::Module module_;  // forward() is not const in LibTorch's API; it does not change the module
  std::string file_;
  ImageShape shape_;
  bool image_;
  at::Tensor timesteps_;  // [T] int64 on the device
};

std::shared_ptr<const Denoiser> load_torchscript(const LoadInputs& in) {
  const std::string& file = in.network.file;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw ConfigError(in.key + ".file: '" + file + "' does not exist or is not a file (save the network in Python with "
                               "torch.jit.save(torch.jit.script(model), path))");
  }
  torch::jit::Module module;
  try {
    module = torch::jit::load(file, in.device);
  } catch (const c10::Error& e) {
    throw DataError("'" + file + "' (" + in.key + ".file) is not a TorchScript file LibTorch " + TORCH_VERSION +
                    " can load: " + first_line(e));
  }
  if (!module.find_method("forward")) throw DataError("'" + file + "' (" + in.key + ".file) has no forward method");
  module.eval();
  auto denoiser = std::make_shared<TorchScriptDenoiser>(std::move(module), in);
  // One call at the first and last step before any work: a network that cannot take lindiff's
  // inputs is named now, not after the references are computed.
  torch::NoGradGuard no_grad;
  const at::Tensor x = torch::zeros({2, in.shape.size()}, torch::TensorOptions().device(in.device));
  denoiser->predict(x, torch::tensor({std::int64_t{1}, denoiser->steps()}, torch::kLong).to(in.device),
                    in.network.objective);
  return denoiser;
}

}  // namespace

DenoiserKind torchscript_kind() {
  DenoiserKind kind;
  kind.name = "torchscript";
  kind.display_name = "TorchScript network";
  kind.regulariser = RegulariserForm::kNoiseAugmentation;  // whatever its training did; lindiff adds nothing
  kind.style = ModelStyle{kind.name, kind.display_name, 3};
  kind.load = load_torchscript;
  return kind;
}

}  // namespace lindiff

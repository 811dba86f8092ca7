// The loaded kind: TorchScript modules built and saved here in C++ (as torch.jit.save would),
// and one saved from Python when /usr/bin/python3 has PyTorch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <torch/script.h>
#include <torch/torch.h>

#include "src/common/error.h"
#include "src/tensors/tensor_bridge.h"
#include "src/denoisers/registry.h"
#include "tests/support/python_torch.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Saves a module with buffers `buffers` and TorchScript source `source` (its methods) to `path`.
void save_module(const std::filesystem::path& path, const std::vector<std::pair<std::string, at::Tensor>>& buffers,
                 const std::string& source) {
  torch::jit::Module module("TestNetwork");
  for (const auto& [name, tensor] : buffers) module.register_buffer(name, tensor);
  module.define(source);
  module.save(path.string());
}

// forward(x, t) = W_t x + b_t on the flattened input, returned in the input's shape.
const char* const kAffineSource = R"JIT(
def forward(self, x, t):
    flat = x.reshape(x.size(0), -1)
    y = torch.bmm(self.weight.index_select(0, t - 1), flat.unsqueeze(2)).squeeze(2) + self.bias.index_select(0, t - 1)
    return y.reshape(x.shape)
)JIT";

std::shared_ptr<const Denoiser> load(const NetworkSpec& network, const Schedule& schedule, const ImageShape& shape) {
  return network_kind().load(LoadInputs{network, "networks.0", schedule, shape, c10::kCPU});
}

NetworkSpec entry(const std::filesystem::path& file, Objective objective = Objective::kNoise) {
  NetworkSpec network;
  network.name = "mine";
  network.file = file.string();
  network.objective = objective;
  network.n = 4;
  return network;
}

// An affine network evaluates to W_t x + b_t for images and flat rows alike, and its other
// target follows from the forward process like every denoiser's.
TEST(TorchScriptKind, AnAffineNetworkPredictsItsAffineMap) {
  testing::TempDir dir;
  const Schedule schedule = Schedule::linear(10);
  const ImageShape shape{1, 2, 3};
  torch::manual_seed(3);
  const at::Tensor weight = torch::randn({10, 6, 6}), bias = torch::randn({10, 6});
  save_module(dir / "affine.pt", {{"weight", weight}, {"bias", bias}}, kAffineSource);
  const at::Tensor x = torch::randn({5, 6});
  const at::Tensor t = torch::tensor({1, 3, 10, 7, 1}, torch::kLong);
  const at::Tensor expected = torch::bmm(weight.index_select(0, t - 1), x.unsqueeze(2)).squeeze(2) + bias.index_select(0, t - 1);
  for (const NetworkInput input : {NetworkInput::kImage, NetworkInput::kFlat}) {
    NetworkSpec network = entry(dir / "affine.pt", Objective::kData);
    network.input = input;
    const std::shared_ptr<const Denoiser> denoiser = load(network, schedule, shape);
    EXPECT_EQ(denoiser->native_objective(), Objective::kData);
    EXPECT_LT((denoiser->predict(x, t, Objective::kData) - expected).abs().max().item<double>(), 1e-5) << input;
    // eps_hat = (x - sqrt(abar) x0_hat) / sqrt(1 - abar).
    const at::Tensor eps = denoiser->predict(x, t, Objective::kNoise);
    for (std::int64_t i = 0; i < 5; ++i) {
      const int step = static_cast<int>(t[i].item<std::int64_t>());
      const at::Tensor manual = (x[i] - std::sqrt(schedule.abar(step)) * expected[i]) / std::sqrt(schedule.one_minus_abar(step));
      EXPECT_LT((eps[i] - manual).abs().max().item<double>(), 1e-4) << input << " row " << i;
    }
  }
}

// The network reads the original step of a respaced chain, counted as it was trained.
TEST(TorchScriptKind, TimestepsReachTheNetworkAsItWasTrained) {
  testing::TempDir dir;
  save_module(dir / "clock.pt", {}, "def forward(self, x, t):\n    return x * 0.0 + t.float().view(-1, 1)\n");
  const Schedule schedule = Schedule::linear(1000).respaced(10);
  const at::Tensor t = torch::arange(1, 11, torch::kLong);
  for (const TimestepBase base : {TimestepBase::kOneBased, TimestepBase::kZeroBased}) {
    NetworkSpec network = entry(dir / "clock.pt", Objective::kData);
    network.input = NetworkInput::kFlat;
    network.timestep = base;
    const at::Tensor read = load(network, schedule, ImageShape{1, 1, 2})->predict(torch::zeros({10, 2}), t, Objective::kData);
    for (int k = 1; k <= 10; ++k) {
      const double expected = schedule.source_steps()[static_cast<std::size_t>(k - 1)] - (base == TimestepBase::kZeroBased ? 1 : 0);
      EXPECT_EQ(read[k - 1][1].item<double>(), expected) << base << " t = " << k;
    }
  }
  EXPECT_EQ(schedule.source_steps().back(), 1000);
}

// A missing file is the config's mistake; a file that is not TorchScript, or a network that
// cannot take lindiff's inputs, is named with what went wrong when it is loaded.
TEST(TorchScriptKind, BadFilesAndNetworksAreNamed) {
  testing::TempDir dir;
  const Schedule schedule = Schedule::linear(10);
  const ImageShape shape{1, 2, 2};
  EXPECT_THAT([&] { load(entry(dir / "absent.pt"), schedule, shape); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("networks.0.file"), HasSubstr("absent.pt"), HasSubstr("torch.jit.save"))));
  std::ofstream(dir / "garbage.pt") << "not a zip archive";
  EXPECT_THAT([&] { load(entry(dir / "garbage.pt"), schedule, shape); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("garbage.pt"), HasSubstr("not a TorchScript file"))));
  save_module(dir / "narrow.pt", {}, "def forward(self, x, t):\n    return x[:, :, :1]\n");
  EXPECT_THAT([&] { load(entry(dir / "narrow.pt"), schedule, shape); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("narrow.pt"), HasSubstr("shape [2, 1, 1, 2]"), HasSubstr("[2, 1, 2, 2]"))));
  save_module(dir / "one_input.pt", {}, "def forward(self, x):\n    return x\n");
  EXPECT_THAT([&] { load(entry(dir / "one_input.pt"), schedule, shape); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("one_input.pt"), HasSubstr("forward(x, t) failed"))));
}

// A module scripted and saved by Python's torch.jit.save gives, loaded here, the outputs Python
// computed for the same inputs.
TEST(TorchScriptKind, ANetworkSavedFromPythonGivesPythonsOutputs) {
  testing::TempDir dir;
  if (!testing::python_imports("torch, numpy", dir.path())) {
    GTEST_SKIP() << "PyTorch or NumPy not installed for " << testing::kPython << " (Debian: python3-torch python3-numpy)";
  }
  const std::string script = std::string(testing::kConvNetworkScript) +
                             "import numpy as np\n"
                             "x = torch.randn(5, 1, 2, 2)\n"
                             "np.save('x.npy', x.numpy())\n"
                             "np.save('y.npy', net(x, torch.tensor([1, 2, 3, 10, 4])).detach().numpy())\n";
  ASSERT_EQ(testing::run_python_file(script, dir.path()), 0) << testing::read_text(dir / "err.txt");
  const std::shared_ptr<const Denoiser> denoiser = load(entry(dir / "net.pt"), Schedule::linear(10), ImageShape{1, 2, 2});
  const at::Tensor x = load_npy(dir / "x.npy").reshape({5, 4});
  const at::Tensor y = load_npy(dir / "y.npy").reshape({5, 4});
  const at::Tensor predicted = denoiser->predict(x, torch::tensor({1, 2, 3, 10, 4}, torch::kLong), Objective::kNoise);
  EXPECT_LT((predicted - y).abs().max().item<double>(), 1e-6);
}

}  // namespace
}  // namespace lindiff

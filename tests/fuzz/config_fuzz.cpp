// Fuzzes the config reader: any text as an experiment file (YAML syntax, types, keys, values).
#include "src/config/config.h"
#include "tests/fuzz/fuzz_target.h"

namespace lindiff::fuzz {

std::vector<std::string> seeds() {
  return {"name: a\ndataset: synthetic\n",
          "dataset: {name: synthetic, synthetic: {shape: [3, 3], n_train: 50}}\ntheory: {steps: 50, respace: 10, "
          "gd_steps: [0, 1e3]}\n",
          "datasets: [fashion_mnist, {name: idx, path: x.idx}]\ntraining:\n  models: [linear, unet]\n  linear: {steps: "
          "10, learning_rate: 0.5}\n  unet: {depth: 1, base_channels: 4}\n",
          "dataset: synthetic\none_step: {n: [25, 50], draws: 4}\nspectrum: {fit_range: [1, 0]}\n"};
}

}  // namespace lindiff::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  lindiff::fuzz::expect_only_named_errors([&] { lindiff::load_config_text(text, "fuzz.yaml"); });
  return 0;
}

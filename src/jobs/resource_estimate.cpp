#include "src/jobs/resource_estimate.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <limits>
#include <map>

#include "src/common/error.h"
#include "src/config/settings.h"
#include "src/sweep/denoise_stage.h"
#include "src/denoisers/registry.h"
#include "src/tensors/device.h"

namespace lindiff {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

std::string gib(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", bytes / kGiB);
  return text;
}

// The share of the float GEMM rate the denoise stage's references reach (docs/benchmarks.md:
// the patch machines and the empirical optimum measured against a GEMM in the same run).
constexpr double kAnalyticShareOfGemm = 0.15;

// The number of timesteps the theory and the training use (after respacing).
double timesteps(const TheorySpec& theory) {
  if (theory.respace > 0) return theory.respace;
  return theory.betas.empty() ? theory.steps : static_cast<double>(theory.betas.size());
}

// The least memory limit of this process's cgroup and its ancestors (v2 memory.max, v1
// memory.limit_in_bytes; /proc/self/cgroup names the group), or "unlimited".
std::uint64_t cgroup_limit() {
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
  auto read_limit = [&](const std::filesystem::path& file) {
    std::ifstream in(file);
    std::uint64_t value = 0;
    if (in >> value && value > 0) limit = std::min(limit, value);  // "max" fails to parse: unlimited
  };
  std::ifstream groups("/proc/self/cgroup");
  for (std::string line; std::getline(groups, line);) {
    const std::size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const bool v2 = line.compare(0, first, "0") == 0 && controllers.empty();
    if (!v2 && controllers.find("memory") == std::string::npos) continue;
    const std::filesystem::path root = v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory";
    const char* file = v2 ? "memory.max" : "memory.limit_in_bytes";
    for (std::filesystem::path group = line.substr(second + 1);; group = group.parent_path()) {
      read_limit(root / group.relative_path() / file);
      if (!group.has_relative_path()) break;
    }
  }
  return limit;
}

std::uint64_t rlimit_of(int resource) {
  rlimit limit{};
  if (getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::numeric_limits<std::uint64_t>::max();
  return limit.rlim_cur;
}

}  // namespace

std::vector<MemoryPart> estimate_memory(const std::string& command, const ExperimentConfig& config,
                                        const Dataset& dataset) {
  const double d = static_cast<double>(dataset.dim());
  const double rows = static_cast<double>(dataset.pool.rows() + dataset.test.rows());
  const double t = timesteps(config.theory);
  const TrainingSpec& training = config.training;
  const bool sweeps = command == "train" || command == "run" || command == "denoise";
  const bool trains = sweeps && (!training.models.empty() || !config.networks.empty());
  const bool theory = command == "theory" || command == "run";
  const std::string resize = "dataset.resize (d = " + std::to_string(dataset.dim()) + ")";
  std::vector<MemoryPart> parts;
  parts.push_back({"the dataset (" + std::to_string(static_cast<long long>(rows)) + " rows of d floats)", rows * d * 4,
                   "dataset.max_train, dataset.max_test or dataset.resize"});
  // Covariance, eigenvectors and their working copies in double.
  parts.push_back({"the population's d x d matrices", 8.0 * d * d * 8, resize});
  if (theory) {
    const double models = static_cast<double>(std::max<std::size_t>(1, config.theory.n.size()) * config.theory.c.size() *
                                              config.theory.objectives.size() * (2 + config.theory.gd_steps.size()));
    parts.push_back({"the theory's per-timestep curves (" + std::to_string(static_cast<long long>(models)) +
                         " models x T = " + std::to_string(static_cast<long long>(t)) + " timesteps)",
                     models * t * 4 * 8, "theory.respace or theory.steps"});
  }
  if (trains) {
    const double samples = training.samples > 0 ? static_cast<double>(training.samples) : std::max(2 * d, 256.0);
    parts.push_back({"the generated samples (" + std::to_string(static_cast<long long>(samples)) + " x d)",
                     samples * d * 4 * 4, "training.samples"});
    parts.push_back({"the Monte Carlo loss probes", static_cast<double>(training.eval_samples) * d * 4 * 3 * 2,
                     "training.eval_samples", true});
  }
  if (trains) {
    for (std::size_t i = 0; i < training.models.size(); ++i) {  // each model's own, from its registry entry
      const DenoiserKind& kind = find_denoiser_kind(training.models[i], "training.models." + std::to_string(i));
      if (!kind.memory) continue;
      for (MemoryPart& part : kind.memory(MemoryInputs{config, dataset, t})) parts.push_back(std::move(part));
    }
  }
  if (sweeps && !config.networks.empty()) {
    // Every network of the dataset is loaded before its cells: its weights as saved, plus about
    // as much again for one forward pass of a batch (a rough bound for small networks).
    double bytes = 0;
    for (const NetworkSpec& network : config.networks) {
      std::error_code ec;
      const std::uintmax_t size = std::filesystem::file_size(network.file, ec);
      if (!ec && (network.dataset.empty() || network.dataset == dataset.label)) bytes += 2.0 * static_cast<double>(size);
    }
    parts.push_back({"the loaded networks (twice their files' size)", bytes, "networks", true});
  }
  if (sweeps && !config.denoise.references.empty()) {
    // One N at a time: its training rows on the device, and per split the clean images, the
    // noisy inputs, each reference's outputs and one network's (docs/denoisers.md#cost).
    const double n = static_cast<double>(dataset.pool.rows()), queries = static_cast<double>(config.denoise.queries);
    const double grid = static_cast<double>(std::max<std::size_t>(1, config.denoise.t.size()));
    const double arrays = 2 * queries * d * 4 * (1 + grid * (2 + static_cast<double>(config.denoise.references.size())));
    parts.push_back({"the denoise stage's inputs and outputs (" + std::to_string(static_cast<long long>(queries)) +
                         " queries x " + std::to_string(static_cast<long long>(grid)) + " timesteps x 2 splits)",
                     arrays, "denoise.queries or denoise.t"});
    parts.push_back({"the denoise stage's training rows", n * d * 4, "training.n", true});
    for (std::size_t i = 0; i < config.denoise.references.size(); ++i) {  // a reference's own, from its registry entry
      const DenoiserKind& kind = find_denoiser_kind(config.denoise.references[i], "denoise.references." + std::to_string(i));
      if (!kind.memory) continue;
      for (MemoryPart& part : kind.memory(MemoryInputs{config, dataset, t})) parts.push_back(std::move(part));
    }
  }
  return parts;
}

double denoise_multiply_adds(const ExperimentConfig& config, const Dataset& dataset) {
  const DenoiseSpec& spec = config.denoise;
  const TrainingSpec& training = config.training;
  const double grid = static_cast<double>(spec.t.size());
  const double samples = static_cast<double>(spec.samples) * timesteps(config.theory);
  // Per training size N: whether a network calibrated against has that N (its cells there).
  std::map<double, double> calibrated_cells;
  for (Index n : training_sizes(config, dataset.dim(), dataset.pool.rows())) {
    const bool calibrated = std::find(training.models.begin(), training.models.end(), spec.calibrate_against) != training.models.end();
    calibrated_cells[static_cast<double>(n)] +=
        calibrated ? static_cast<double>(training.objectives.size() * training.c.size() * training.seeds.size()) : 0;
  }
  for (const NetworkSpec& network : config.networks) {
    if (!network.belongs_to(dataset.label)) continue;
    calibrated_cells[static_cast<double>(network.n)] += network.name == spec.calibrate_against ? 1 : 0;
  }
  double total = 0;
  for (const auto& [n, cells] : calibrated_cells) {
    const double train = std::min(static_cast<double>(spec.queries), n);
    // The held-out split (the training split where the dataset has none) is what calibration uses.
    const double held_out = dataset.test.rows() > 0 ? std::min<double>(static_cast<double>(spec.queries), static_cast<double>(dataset.test.rows())) : 0;
    const double calibration_queries = grid * (held_out > 0 ? held_out : train);
    const double queries = grid * (train + held_out) + samples;
    for (std::size_t i = 0; i < spec.references.size(); ++i) {
      const DenoiserKind& kind = find_denoiser_kind(spec.references[i], "denoise.references." + std::to_string(i));
      if (!kind.query_cost) continue;
      total += queries * kind.query_cost(CostInputs{spec, dataset.shape, n, spec.patch_size});
      if (!kind.calibration || cells == 0) continue;
      double costliest = 0;
      for (double value : kind.calibration->candidates(spec, dataset.shape)) {
        const int patch = kind.calibration->setting == "patch_size" ? static_cast<int>(value) : spec.patch_size;
        const double cost = kind.query_cost(CostInputs{spec, dataset.shape, n, patch});
        total += cells * calibration_queries * cost;
        costliest = std::max(costliest, cost);
      }
      // The calibrated machine's shared-noise samples, bounded by its costliest setting at every step.
      total += cells * samples * costliest;
    }
  }
  return total;
}

void check_denoise_time(const ExperimentConfig& config, const Dataset& dataset) {
  if (config.denoise.references.empty()) return;
  check_denoise_plan(config, dataset);  // a reference or patch size these images cannot take, by its key
  const double work = denoise_multiply_adds(config, dataset);
  if (work < 1e9) return;  // well under a second anywhere
  check_device(config.training.device);
  const double rate = kAnalyticShareOfGemm * measured_gemm_rate(torch_device(config.training.device));
  const double minutes = work / rate / 60;
  const std::string what = config.denoise.calibrate_against.empty() ? "the references" : "the references and the calibration";
  std::fprintf(stderr, "denoise %s: %s need about %.3g multiply-adds: about %.1f min at %.3g per second\n",
               dataset.label.c_str(), what.c_str(), work, minutes, rate);
  if (config.denoise.max_minutes <= 0 || minutes <= config.denoise.max_minutes) return;
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, "about %.0f min, above denoise.max_minutes = %g", std::ceil(minutes),
                config.denoise.max_minutes);
  throw ResourceError("dataset " + dataset.label + ": the denoise stage's " + what.substr(4) + " would take " + numbers +
                      " (docs/denoisers.md#cost). Lower denoise.queries, denoise.t, denoise.samples, denoise.patch_size, "
                      "denoise.calibrate_patch_sizes or training.n, drop a patch machine (els costs most), or raise "
                      "denoise.max_minutes");
}

std::uint64_t available_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  std::uint64_t available = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
                                                  : std::numeric_limits<std::uint64_t>::max();
  available = std::min({available, cgroup_limit(), rlimit_of(RLIMIT_AS), rlimit_of(RLIMIT_DATA)});
  return available;
}

namespace {

// Throws ResourceError when `parts` need more than 90% of `available` bytes of `memory`.
void check_fits(const std::vector<const MemoryPart*>& parts, double available, const std::string& memory,
                const std::string& label) {
  double total = 0;
  const MemoryPart* largest = nullptr;
  for (const MemoryPart* part : parts) {
    total += part->bytes;
    if (largest == nullptr || part->bytes > largest->bytes) largest = part;
  }
  if (largest == nullptr || total <= 0.9 * available) return;
  throw ResourceError("dataset " + label + ": this run needs about " + gib(total) + " of " + memory + " but " +
                      gib(available) + " are available; the largest part is " + largest->what + ": " +
                      gib(largest->bytes) + ". Lower " + largest->key);
}

}  // namespace

namespace {

// The last estimate's advice: process-wide, because an allocation fails far from the stage that
// knew what it was for, and main() reports it.
std::string last_advice;

std::string advice_of(std::vector<MemoryPart> parts) {
  std::sort(parts.begin(), parts.end(), [](const MemoryPart& a, const MemoryPart& b) { return a.bytes > b.bytes; });
  std::string advice;
  for (std::size_t i = 0; i < parts.size() && i < 2; ++i) {
    advice += (i ? "; or " : "") + parts[i].key + " (" + parts[i].what + ", about " + gib(parts[i].bytes) + ")";
  }
  return advice;
}

}  // namespace

std::string memory_advice() { return last_advice; }

void check_memory(const std::string& command, const ExperimentConfig& config, const Dataset& dataset) {
  const std::vector<MemoryPart> parts = estimate_memory(command, config, dataset);
  last_advice = advice_of(parts);
  const bool gpu = config.training.device == DeviceKind::kCuda;
  std::vector<const MemoryPart*> host, device;
  for (const MemoryPart& part : parts) (gpu && part.on_device ? device : host).push_back(&part);
  check_fits(host, static_cast<double>(available_memory()), "memory", dataset.label);
  if (device.empty()) return;
  const std::optional<GpuMemory> memory = gpu_memory();
  if (!memory) return;  // check_device has refused cuda without a GPU before any stage
  check_fits(device, static_cast<double>(memory->free),
             "GPU memory (training.device: cuda; " + gib(static_cast<double>(memory->total)) + " in all)", dataset.label);
}

}  // namespace lindiff

// Owns the discrete diffusion noise schedule (docs/theory.md#notation and #forward-process-and-objectives), in double precision.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "src/common/enum_names.h"
#include "src/common/matrix.h"

namespace lindiff {

// The named noise schedules (docs/theory.md#noise-schedule).
enum class ScheduleKind {
  kLinear,  // DDPM: beta_t linear from beta_min (t = 1) to beta_max (t = T), both ends included
  kSlides,  // the authors' slides: beta_t = beta_min + (beta_max - beta_min) t / T
};

template <>
struct EnumNames<ScheduleKind> {
  static constexpr std::pair<ScheduleKind, const char*> kNames[] = {{ScheduleKind::kLinear, "linear"},
                                                                    {ScheduleKind::kSlides, "slides"}};
};

// Noise levels beta_t for t = 1..T with alpha_t = 1 - beta_t and
// \bar\alpha_t = \prod_{s \le t} \alpha_s. Accessors take the 1-based timestep t.
class Schedule {
 public:
  // Standard DDPM schedule: beta_t linear from beta_min (t = 1) to beta_max (t = T), both
  // ends included. Defaults give \bar\alpha_T = 4.0e-5 at T = 1000.
  static Schedule linear(int steps, double beta_min = 1e-4, double beta_max = 2e-2);
  // The authors' slides: beta_t = beta_min + (beta_max - beta_min) t / T (\bar\alpha_T = 6.3e-3 at T = 1000).
  static Schedule slides(int steps, double beta_min = 1e-4, double beta_max = 1e-2);
  // Any schedule given as its betas (each in (0, 1)); throws std::invalid_argument otherwise.
  static Schedule from_betas(std::vector<double> betas);
  // The schedule of `kind` with its own default beta_max where `beta_max` is 0.
  static Schedule of(ScheduleKind kind, int steps, double beta_min, double beta_max);

  // K of the T steps, evenly spaced and ending at T, as a schedule of its own with the same
  // \bar\alpha at the kept steps: beta'_k = 1 - \bar\alpha_{t_k} / \bar\alpha_{t_{k-1}}.
  Schedule respaced(int kept_steps) const;

  int steps() const { return static_cast<int>(beta_.size()); }
  double beta(int t) const { return beta_[t - 1]; }
  double alpha(int t) const { return 1.0 - beta_[t - 1]; }
  double abar(int t) const { return t == 0 ? 1.0 : abar_[t - 1]; }
  // 1 - \bar\alpha_t without cancellation (0 at t = 0, exactly beta_1 at t = 1).
  double one_minus_abar(int t) const { return t == 0 ? 0.0 : one_minus_abar_[t - 1]; }
  // k_t = beta_t / \sqrt{1 - \bar\alpha_t}, the sampler's noise-prediction coefficient.
  double sampler_gain(int t) const;
  // The original timesteps of a respaced schedule (1..T for an ordinary one).
  const std::vector<int>& source_steps() const { return source_steps_; }

 private:
  explicit Schedule(std::vector<double> betas);
  std::vector<double> beta_;
  std::vector<double> abar_;
  std::vector<double> one_minus_abar_;
  std::vector<int> source_steps_;
};

}  // namespace lindiff

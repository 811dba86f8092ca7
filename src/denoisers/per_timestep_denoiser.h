// Owns a denoiser whose setting changes with the timestep: at timestep t it is the denoiser that
// `make(setting[t - 1])` builds, e.g. a patch machine with a calibrated patch size P(t) (Kamb &
// Ganguli's machines sample with a per-t patch size). A sampler asks for one t at a time, so the
// denoiser of the current setting is kept and rebuilt only when the setting changes: memory is
// that of one part, never of every setting at once. Cost per call: the parts' predictions for
// their rows, plus O(B d) to gather and scatter rows when one batch mixes settings.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <c10/core/Device.h>

#include "src/diffusion/denoiser.h"
#include "src/theory/schedule.h"

namespace lindiff {

// Builds the part for one setting; every part shares the schedule and the device given below.
using DenoiserForSetting = std::function<std::shared_ptr<const Denoiser>(double setting)>;

// The denoiser that is make(settings[t - 1]) at timestep t = 1..T (settings.size() == T ==
// schedule.steps()). Its native prediction is x0. Throws std::invalid_argument on a settings list
// of another length, a setting that is not finite or a missing factory, and when asked for a t
// outside 1..T.
std::shared_ptr<const Denoiser> per_timestep_denoiser(const Schedule& schedule, c10::Device device,
                                                      std::vector<double> settings, DenoiserForSetting make);

}  // namespace lindiff

#include "src/evaluation/calibration.h"

#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include "src/evaluation/agreement.h"

namespace lindiff {

Calibration calibrate(const std::vector<double>& candidates, const std::function<at::Tensor(double)>& outputs_of,
                      const at::Tensor& network) {
  if (candidates.empty()) throw std::invalid_argument("calibrate: no candidate settings");
  if (network.dim() != 3 || network.size(1) < 1) throw std::invalid_argument("calibrate: the network's outputs must be [G, M, d], M >= 1");
  const std::int64_t grid = network.size(0), m = network.size(1);
  const std::int64_t fit = (m + 1) / 2;
  const std::int64_t check_start = m == 1 ? 0 : fit;
  Calibration result;
  result.best.assign(grid, candidates.front());
  result.fit_r2.assign(grid, -std::numeric_limits<double>::infinity());
  result.check_r2.assign(grid, std::numeric_limits<double>::quiet_NaN());
  for (double value : candidates) {
    const at::Tensor outputs = outputs_of(value);
    if (!outputs.sizes().equals(network.sizes())) {
      throw std::invalid_argument("calibrate: a candidate's outputs are not shaped like the network's [G, M, d]");
    }
    for (std::int64_t g = 0; g < grid; ++g) {
      const double fit_r2 = agreement(outputs[g].narrow(0, 0, fit), network[g].narrow(0, 0, fit)).r_squared;
      if (!(fit_r2 > result.fit_r2[g])) continue;
      result.best[g] = value;
      result.fit_r2[g] = fit_r2;
      result.check_r2[g] =
          agreement(outputs[g].narrow(0, check_start, m - check_start), network[g].narrow(0, check_start, m - check_start)).r_squared;
    }
  }
  for (std::int64_t g = 0; g < grid; ++g) {
    if (!std::isinf(result.fit_r2[g])) continue;
    // No candidate had a score (a constant network output): nothing was chosen.
    result.best[g] = result.fit_r2[g] = std::numeric_limits<double>::quiet_NaN();
  }
  return result;
}

std::vector<double> settings_per_timestep(const std::vector<std::int64_t>& grid, const std::vector<double>& best,
                                          std::int64_t steps) {
  if (grid.size() != best.size()) throw std::invalid_argument("settings_per_timestep: one setting per grid timestep");
  std::map<std::int64_t, double> chosen;  // by timestep, ascending; a repeated timestep keeps its first setting
  for (std::size_t g = 0; g < grid.size(); ++g) {
    if (grid[g] < 1 || grid[g] > steps) {
      throw std::invalid_argument("settings_per_timestep: grid timestep " + std::to_string(grid[g]) + " outside 1.." +
                                  std::to_string(steps));
    }
    if (!std::isnan(best[g])) chosen.emplace(grid[g], best[g]);
  }
  if (chosen.empty()) return {};
  const std::vector<std::pair<std::int64_t, double>> points(chosen.begin(), chosen.end());
  std::vector<double> out;
  std::size_t g = 0;  // points[g] <= t < points[g + 1], or the first or last point
  for (std::int64_t t = 1; t <= steps; ++t) {
    while (g + 1 < points.size() && points[g + 1].first <= t) ++g;
    const bool next_is_nearer =
        g + 1 < points.size() && t > points[g].first && t * t > points[g].first * points[g + 1].first;
    out.push_back(points[next_is_nearer ? g + 1 : g].second);
  }
  return out;
}

}  // namespace lindiff

// Owns how a pair of KL divergences becomes rows: every source (theory, exact evaluation,
// samples, the one-step model) reports the same four metrics in the same order.
#pragma once

#include <array>

#include "src/report/metrics.h"
#include "src/theory/gaussian_kl.h"

namespace lindiff {

// One metric of a KL pair.
struct KlMetric {
  const char* metric;
  double value;
};

// kl_model_data, kl_data_model, and both divided by the dimension d (the _per_dim metrics).
inline std::array<KlMetric, 4> kl_metrics(const KlPair& kl, double d) {
  return {KlMetric{metric::kKlModelData, kl.model_data}, KlMetric{metric::kKlDataModel, kl.data_model},
          KlMetric{metric::kKlModelDataPerDim, kl.model_data / d}, KlMetric{metric::kKlDataModelPerDim, kl.data_model / d}};
}

}  // namespace lindiff

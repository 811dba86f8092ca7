// Owns the names in results.csv's `metric` and `source` columns (docs/results.md says what each
// means). Code that writes a row and code that reads one name it through these constants, so a
// misspelt metric is a compile error, not a missing curve.
#pragma once

#include <string>

namespace lindiff {

namespace metric {
inline constexpr char kTrainLoss[] = "train_loss";
inline constexpr char kTrainLossSe[] = "train_loss_se";
inline constexpr char kTestLoss[] = "test_loss";
inline constexpr char kTestLossSe[] = "test_loss_se";
inline constexpr char kExcessTestLoss[] = "excess_test_loss";
inline constexpr char kExcessTestLossSe[] = "excess_test_loss_se";
inline constexpr char kBayesTestLoss[] = "bayes_test_loss";
inline constexpr char kKlModelData[] = "kl_model_data";
inline constexpr char kKlDataModel[] = "kl_data_model";
inline constexpr char kKlModelDataPerDim[] = "kl_model_data_per_dim";
inline constexpr char kKlDataModelPerDim[] = "kl_data_model_per_dim";
inline constexpr char kKlModelDataFiniteM[] = "kl_model_data_finite_m";
inline constexpr char kKlDataModelFiniteM[] = "kl_data_model_finite_m";
inline constexpr char kKlModelDataFiniteMPerDim[] = "kl_model_data_finite_m_per_dim";
inline constexpr char kKlDataModelFiniteMPerDim[] = "kl_data_model_finite_m_per_dim";
inline constexpr char kSamples[] = "samples";
inline constexpr char kMemorizedFraction[] = "memorized_fraction";
inline constexpr char kMemorizedFractionLower[] = "memorized_fraction_lower";
inline constexpr char kMemorizedFractionUpper[] = "memorized_fraction_upper";
inline constexpr char kNnRatioMedian[] = "nn_ratio_median";
inline constexpr char kFinalStep[] = "final_step";
inline constexpr char kSteps[] = "steps";
inline constexpr char kRawTestLoss[] = "raw_test_loss";
inline constexpr char kRawTestLossSe[] = "raw_test_loss_se";
inline constexpr char kLearningRate[] = "learning_rate";
inline constexpr char kHeldOutDropLastDecade[] = "held_out_drop_last_decade";
inline constexpr char kConverged[] = "converged";
inline constexpr char kBestCTestLoss[] = "best_c_test_loss";
inline constexpr char kBestCKlModelData[] = "best_c_kl_model_data";
inline constexpr char kBestCKlDataModel[] = "best_c_kl_data_model";
inline constexpr char kDEff[] = "d_eff";
inline constexpr char kTotalVariance[] = "total_variance";
inline constexpr char kPowerlawK[] = "powerlaw_k";
inline constexpr char kPowerlawR2[] = "powerlaw_r2";
inline constexpr char kCovRelError[] = "cov_rel_error";
inline constexpr char kHellingerSquared[] = "hellinger_squared";
inline constexpr char kMemorisationDelta[] = "memorisation_delta";
inline constexpr char kPDeltaPositive[] = "p_delta_positive";
inline constexpr char kPDeltaPositiveLow[] = "p_delta_positive_low";
inline constexpr char kPDeltaPositiveHigh[] = "p_delta_positive_high";
// Per-mode metrics carry the mode's rank: "<prefix><rank>".
inline constexpr char kEigenvaluePrefix[] = "eigenvalue_";
inline constexpr char kModeVariancePrefix[] = "mode_variance_";

// The per-noise-level comparison (docs/denoisers.md): split is train or test.
// The linearisation (docs/theory.md#linearisation) at the centre pixel, held-out inputs: the cosine
// of a network's Jacobian row with the Wiener filter's row, and the radius holding 90% of the
// squared mass of the network's row and of the Wiener row.
inline constexpr char kJacobianCosineWiener[] = "jacobian_cosine_wiener";
inline constexpr char kJacobianRadius90[] = "jacobian_radius90";
inline constexpr char kWienerRadius90[] = "wiener_radius90";
// denoise_mse_<split>: mean squared error of a denoiser's x0 prediction against the clean image.
inline std::string denoise_mse(const std::string& split) { return "denoise_mse_" + split; }
// agreement_<measure>_<reference>_<split>: a denoiser's x0 predictions against a reference's on
// the same inputs; measure is mse, r2 (1 - SS_res / SS_tot around the reference's mean) or pearson.
inline std::string agreement(const std::string& measure, const std::string& reference, const std::string& split) {
  return "agreement_" + measure + "_" + reference + "_" + split;
}
// sample_<measure>_<reference>: samples drawn from the same noise as the reference's; measure is
// mse, r2 (pooled) or r2_median (the median of each sample's r^2).
inline std::string sample_agreement(const std::string& measure, const std::string& reference) {
  return "sample_" + measure + "_" + reference;
}

// Calibration against a network (denoise.calibrate_against), held-out inputs, per t:
// calibrated_<setting>_<kind>: the setting (patch_size, threshold) of local denoiser <kind> whose
// outputs predict the network's best on half of the inputs; calibrated_r2_<kind>: r^2 of the
// network's outputs by <kind> at that setting on the other half.
inline std::string calibrated_setting(const std::string& setting, const std::string& kind) {
  return "calibrated_" + setting + "_" + kind;
}
inline std::string calibrated_r2(const std::string& kind) { return "calibrated_r2_" + kind; }

// "<prefix><rank>", e.g. mode_variance_3.
inline std::string ranked(const char* prefix, long long rank) { return prefix + std::to_string(rank); }
}  // namespace metric

// The `model` of the one-step sweep's rows (Halder's model is not a denoiser kind: it is not trained).
inline constexpr char kOneStepModel[] = "one_step";

namespace source {
inline constexpr char kData[] = "data";
inline constexpr char kPopulation[] = "population";
inline constexpr char kTheory[] = "theory";
inline constexpr char kTheoryAvg[] = "theory_avg";
inline constexpr char kTheoryGd[] = "theory_gd";
inline constexpr char kExact[] = "exact";
inline constexpr char kMonteCarlo[] = "monte_carlo";
inline constexpr char kTraining[] = "training";
}  // namespace source

}  // namespace lindiff

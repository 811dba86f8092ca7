#include "src/figures/figure_registry.h"

#include <cstring>

#include "src/figures/one_step_figures.h"
#include "src/figures/spectrum_figures.h"
#include "src/figures/theory_figures.h"
#include "src/figures/training_figures.h"
#include "src/report/metrics.h"

namespace lindiff {

namespace {

constexpr char kSpectrumSection[] = "Dataset and spectrum";
constexpr char kBayesSection[] = "Distance to the Bayes-optimal denoiser";
constexpr char kLossSection[] = "Train and test loss versus N";
constexpr char kKlSection[] = "KL per dimension versus d/N";
constexpr char kStepsSection[] = "Training steps and early stopping";
constexpr char kRegularisationSection[] = "Regularisation";
constexpr char kMemorisationSection[] = "Memorisation";
constexpr char kModeSection[] = "Per-mode variances";
constexpr char kOneStepSection[] = "Halder's one-step model";
constexpr char kDenoiseSection[] = "Which denoiser is the network?";
constexpr char kLinearisationSection[] = "The network's linearisation";

void draw_test_loss_steps(const FigureContext& context) { draw_step_figures(context, metric::kTestLoss); }
void draw_train_loss_steps(const FigureContext& context) { draw_step_figures(context, metric::kTrainLoss); }
void draw_excess_steps(const FigureContext& context) { draw_step_figures(context, metric::kExcessTestLoss); }
void draw_kl_steps(const FigureContext& context) { draw_step_figures(context, metric::kKlDataModelPerDim); }

}  // namespace

const std::vector<FigureEntry>& figure_entries() {
  static const std::vector<FigureEntry> entries = {
      {{"spectrum_", "cov_error_"}, kSpectrumSection, FigureStage::kSpectrum, draw_spectrum_figures},
      {{"eigenvectors_", "examples_"}, kSpectrumSection, FigureStage::kSpectrum, nullptr},  // image grids
      {{"spectra"}, kSpectrumSection, FigureStage::kAllSpectra, draw_all_spectra},
      {{"theory_kl_"}, kKlSection, FigureStage::kTheory, draw_theory_kl_figures},
      {{"theory_loss_"}, kLossSection, FigureStage::kTheory, draw_theory_loss_figures},
      {{"theory_early_stopping_"}, kStepsSection, FigureStage::kTheory, draw_theory_early_stopping_figures},
      {{"theory_best_c_"}, kRegularisationSection, FigureStage::kTheory, draw_theory_best_c_figures},
      {{"theory_mode_variance_"}, kModeSection, FigureStage::kTheory, draw_theory_mode_variance_figures},
      {{"one_step_"}, kOneStepSection, FigureStage::kOneStep, draw_one_step_figures},
      {{"loss_vs_n_"}, kLossSection, FigureStage::kTraining, draw_loss_figures},
      {{"kl_vs_n_"}, kKlSection, FigureStage::kTraining, draw_kl_figures},
      {{"steps_test_loss_"}, kStepsSection, FigureStage::kTraining, draw_test_loss_steps},
      {{"steps_train_loss_"}, kStepsSection, FigureStage::kTraining, draw_train_loss_steps},
      {{"excess_vs_n_"}, kBayesSection, FigureStage::kTraining, draw_excess_figures},
      {{"steps_excess_test_loss_"}, kBayesSection, FigureStage::kTraining, draw_excess_steps},
      {{"steps_kl_data_model_per_dim_"}, kStepsSection, FigureStage::kTraining, draw_kl_steps},
      {{"memorisation_"}, kMemorisationSection, FigureStage::kTraining, draw_memorisation_figures},
      {{"mode_variance_"}, kModeSection, FigureStage::kTraining, draw_mode_variance_figures},
      {{"denoise_r2_"}, kDenoiseSection, FigureStage::kTraining, draw_denoise_figures},
      {{"denoise_steps_"}, kDenoiseSection, FigureStage::kTraining, draw_denoise_step_figures},
      {{"calibration_"}, kDenoiseSection, FigureStage::kTraining, draw_calibration_figures},
      {{"linearisation_"}, kLinearisationSection, FigureStage::kTraining, draw_linearisation_figures},
  };
  return entries;
}

void draw_figures(FigureStage stage, const FigureContext& context) {
  for (const FigureEntry& entry : figure_entries()) {
    if (entry.stage == stage && entry.draw != nullptr) entry.draw(context);
  }
}

std::vector<ReportSection> report_sections() {
  std::vector<ReportSection> sections = {
      {kSpectrumSection,
       "Covariance spectra (power-law fit, effective dimension), covariance error versus N, top eigenvectors and "
       "examples.",
       {}, ""},
      {kBayesSection,
       "For Gaussian data (synthetic, exact population) the population-optimal linear denoiser is the Bayes-optimal "
       "one: no model can reach a lower held-out loss. Its excess is the cleanest measure of how far a trained network "
       "is from having learnt the distribution: exact for models evaluated exactly (the linear model), Monte Carlo for "
       "the others (the standard error is the excess_test_loss_se row; estimates at or below zero cannot be drawn on "
       "the log axis).",
       {}, ""},
      {kLossSection,
       "Lines: closed form for the optimal linear denoiser (one training set) and its average over training sets. "
       "Points: models evaluated exactly (the linear model), and Monte Carlo estimates for every trained model.",
       {}, ""},
      {kKlSection,
       "KL(data || model)/d of the sampled distribution; the red line is d/(4N). Sample-based KLs are fitted to M "
       "samples and carry the finite-M floor (violet: what a perfect sampler would show with the same M).",
       {}, ""},
      {kStepsSection,
       "Held-out (test) and training loss and KL along training, to judge convergence: gradient-descent theory "
       "(lines), models evaluated exactly (the linear model) and Monte Carlo estimates of the others. Minibatch SGD "
       "trails the full-batch gradient-descent curve by a gradient-noise term that grows with learning rate / batch "
       "size (docs/conventions.md, 'SGD versus the gradient-descent theory').",
       {}, ""},
      {kRegularisationSection, "The c that minimises each criterion, versus N.", {}, ""},
      {kMemorisationSection,
       "Share of samples whose nearest training image is much closer than the second nearest (d1/d2 below the "
       "configured ratio), with a 95% bootstrap interval.",
       {}, "neighbours.png"},
      {kModeSection,
       "Variance of the samples along eigenvectors of Sigma0 against the eigenvalue: the optimum gives lambda + c.",
       {}, ""},
      {kDenoiseSection,
       "Each trained network's x0 predictions against analytic denoisers on the same noisy held-out inputs (the same "
       "noise for every denoiser and N; denoise.references): the empirical optimum (the training set's exact posterior "
       "mean, which only reproduces training images), the Wiener filter (optimal linear denoiser of the training set) "
       "and, for Gaussian data, the Bayes-optimal denoiser. r^2 = 1 - SS_res / SS_tot around the reference's mean "
       "(docs/denoisers.md; Pearson and MSE rows are in results.csv, the arrays in denoise/). A network close to the "
       "empirical optimum at low noise memorises; close to the Wiener filter it generalises as linear theory says. "
       "Values below -0.5 are clipped. With denoise.calibrate_against, the calibration figures show per t the patch size (ls, "
       "els, bbels) or threshold (wiener_local) that predicts that network's held-out outputs best, and the r^2 it "
       "reaches on inputs the choice did not see. The grids show each network's samples beside the references' samples from "
       "the same noise (denoise.sampler), the calibrated machines' (sampling with their setting per t) and the training "
       "image nearest to the network's sample.",
       {}, "shared_noise.png",
       "network | references (denoise.references, in order) | calibrated machines (denoise.calibrate_against) | nearest "
       "training image, one sample per row"},
      {kLinearisationSection,
       "The Jacobian row d x0_hat_p / d x_t of each network's reported model at the centre pixel p, by autograd on the "
       "first held-out inputs at each t, against row p of the training set's Wiener filter (the optimal linear "
       "denoiser, whose Jacobian it is everywhere): their cosine, and the radius around p that holds 90% of each "
       "row's squared mass (docs/denoisers.md#linearisation-is-the-network-locally-the-wiener-filter). A cosine near 1 says the network acts "
       "locally as the Wiener filter; a smaller radius than the Wiener row's says it is more local. The grids show, "
       "per t (rows), the Jacobian row of the first input, the mean over the inputs and the Wiener row, each scaled "
       "so that mid grey is 0 (jacobian_*.npy and wiener_rows.npy hold them).",
       {}, "jacobian_wiener.png", "per t (rows, ascending): Jacobian row of the first input | mean Jacobian row | Wiener row"},
      {kOneStepSection,
       "One noising step and a least-squares map back (docs/theory.md#halder-one-step-model), over repeated training "
       "draws: squared Hellinger distance and KL to the data, and Delta (negative: closer to the training set than to "
       "fresh data).",
       {}, ""},
  };
  for (const FigureEntry& entry : figure_entries()) {
    for (ReportSection& section : sections) {
      if (section.title == entry.section) section.prefixes.insert(section.prefixes.end(), entry.prefixes.begin(), entry.prefixes.end());
    }
  }
  return sections;
}

}  // namespace lindiff

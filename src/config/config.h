// Owns the typed experiment config: what a YAML experiment file may contain, its
// defaults, validation before any work starts, and the resolved copy saved with results.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "datasets/dataset_spec.h"
#include "src/config/vocabulary.h"
#include "src/theory/objective.h"
#include "src/theory/schedule.h"

namespace lindiff {

// Settings of the covariance-spectrum analysis (docs/theory.md#spectra-and-data-structure).
struct SpectrumSpec {
  std::int64_t n_train = 0;                     // training-set size N; 0 = the whole pool
  std::string solver = "auto";                  // auto | dsyevd | eigen
  std::string route = "auto";                   // auto | covariance | gram
  std::vector<std::int64_t> fit_range = {1, 0};  // ranks [first, last]; last 0 = last positive
  int eigenvectors = 16;                        // top eigenvectors drawn as images
  int examples = 16;                            // training images drawn as examples
  std::vector<std::int64_t> cov_error_n;        // N values of the covariance-error curve; [] = auto

  template <class Visitor>
  void fields(Visitor& v) {
    v("n_train", n_train, "training-set size N (a nested subset of the pool); 0 = the whole pool");
    v("solver", solver, "eigensolver: auto (dsyevd where the build has LAPACK, else eigen) | dsyevd (LAPACK divide and conquer) | eigen");
    v("route", route, "auto (Gram matrix when N < d) | covariance | gram");
    v("fit_range", fit_range, "ranks [first, last] of the power-law fit; last 0 = last positive eigenvalue");
    v("eigenvectors", eigenvectors, "number of top eigenvectors drawn as images");
    v("examples", examples, "number of training images drawn as examples");
    v("cov_error_n", cov_error_n, "N values for the covariance-error curve; [] = log-spaced up to the pool");
  }
};

// Settings of the closed-form theory curves (docs/theory.md#linear-denoisers to #training-set-averages).
struct TheorySpec {
  ScheduleKind schedule = ScheduleKind::kLinear;
  int steps = 1000;                           // T
  double beta_min = 0;                        // 0: the schedule's default (1e-4)
  double beta_max = 0;                        // 0: the schedule's default (2e-2 linear, 1e-2 slides)
  std::vector<double> betas;                  // an explicit schedule; overrides schedule/steps/beta_*
  int respace = 0;                            // keep K of the T steps; 0 = all
  bool final_noise = false;                   // add sigma_1 noise at the last sampling step
  std::vector<std::int64_t> n;                // training-set sizes; [] = 12 log-spaced up to the pool
  std::vector<double> c = {0, 1e-3, 1e-2, 1e-1};  // regularisation strengths
  std::vector<Objective> objectives = {Objective::kNoise, Objective::kData};
  std::vector<double> gd_steps;               // gradient-descent step counts for early stopping; [] = none
  double learning_rate = 0;                   // GD learning rate; 0 = 1 / (max mode curvature) * T d / 2
  std::vector<int> loss_timesteps = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};  // per-t loss rows
  int mode_ranks = 24;                        // log-spaced eigen-mode ranks with variance rows
  bool averages = true;                       // theory_avg rows (Wishart and deterministic equivalents)

  template <class Visitor>
  void fields(Visitor& v) {
    v("schedule", schedule, "noise schedule: linear (DDPM, endpoints included) | slides (beta_min + (beta_max - beta_min) t/T)");
    v("steps", steps, "number of diffusion steps T");
    v("beta_min", beta_min, "first beta; 0 = the schedule's default (1e-4)");
    v("beta_max", beta_max, "last beta; 0 = the schedule's default (2e-2 linear, 1e-2 slides)");
    v("betas", betas, "explicit schedule beta_1..beta_T (each in (0, 1)); overrides schedule, steps, beta_min, beta_max");
    v("respace", respace, "keep K evenly spaced of the T steps (same abar there); 0 = all");
    v("final_noise", final_noise, "add noise at the last sampling step t = 1");
    v("n", n, "training-set sizes N (nested subsets); [] = 12 log-spaced values from d/8 to the pool");
    v("c", c, "regularisation strengths c >= 0 (train as if the covariance were Sigma0 + c I)");
    v("objectives", objectives, "noise and/or data prediction");
    v("gd_steps", gd_steps, "gradient-descent step counts s for early-stopping curves (zero init, bias at mu0)");
    v("learning_rate", learning_rate, "gradient-descent learning rate; 0 = T d / (2 max_t k_t) (half the stability limit)");
    v("loss_timesteps", loss_timesteps, "timesteps t with per-t loss rows (those beyond T are skipped)");
    v("mode_ranks", mode_ranks, "number of log-spaced eigen-mode ranks with sampled-variance rows");
    v("averages", averages, "add averages over training sets (Wishart exact, deterministic equivalent)");
  }
};

// A key that a config struct no longer has: reading it fails with `message`, which says
// where the setting lives now. A struct lists these in `static constexpr MovedKey kMovedKeys[]`.
struct MovedKey {
  const char* key;
  const char* message;
};

// The optimisation keys both models share; each model's section sets its own defaults.
struct OptimizerSpec {
  Optimizer optimizer = Optimizer::kSgd;
  double learning_rate = 0;        // 0: automatic (linear: the theory's GD rate; U-Net: 2e-3)
  RateShape rate;                  // the learning-rate schedule's shape (the peak is learning_rate)
  double weight_decay = 0;         // the optimizer's weight decay (not c)
  StepCount steps;                 // optimizer steps, the same for every N, or auto (chosen per cell)
  std::int64_t max_steps = 300000;  // the most steps `auto` may choose
  std::int64_t batch_size = 0;
  bool one_t_per_batch = false;
  double ema_decay = 0;            // the weights' exponential moving average; 0 = none
  std::int64_t ema_start = 0;      // the step after which averaging begins

  template <class Visitor>
  void fields(Visitor& v) {
    optimizer_fields(v, "learning rate; 0 = automatic (each model's own default)");
  }

 protected:
  OptimizerSpec(Optimizer optimizer_kind, LrSchedule schedule, StepCount step_count, std::int64_t batch)
      : optimizer(optimizer_kind), steps(step_count), batch_size(batch) {
    rate.kind = schedule;
  }

  // Lists the shared keys; `learning_rate_help` says what 0 means for the model.
  template <class Visitor>
  void optimizer_fields(Visitor& v, const char* learning_rate_help) {
    v("optimizer", optimizer, "sgd (plain, comparable with gradient-descent theory) | adam | adamw");
    v("learning_rate", learning_rate, learning_rate_help);
    v("lr_schedule", rate.kind, "after the warm-up: constant | cosine | linear (both reach lr_final x learning_rate at the last step) | step (x lr_step_factor every lr_step_every steps, not below the floor)");
    v("lr_warmup_steps", rate.warmup_steps, "linear warm-up from learning_rate / W to learning_rate over the first W steps; 0 = none");
    v("lr_final", rate.final_share, "the floor of the decay as a share of learning_rate (0 .. 1)");
    v("lr_step_every", rate.step_every, "step decay: steps between two multiplications; 0 = a third of the steps after the warm-up");
    v("lr_step_factor", rate.step_factor, "step decay: the factor (0 .. 1]");
    v("weight_decay", weight_decay, "the optimizer's own weight decay (separate from the regulariser c)");
    v("steps", steps, "optimizer steps, the same for every N; auto = chosen per cell (docs/convergence.md#steps-auto)");
    v("max_steps", max_steps, "the most steps auto may choose");
    v("batch_size", batch_size, "minibatch size");
    v("one_t_per_batch", one_t_per_batch, "draw one timestep per minibatch instead of one per row");
    v("ema_decay", ema_decay, "exponential moving average of the weights, evaluated, sampled and reported instead of them (docs/convergence.md#weight-averaging); 0 = none");
    v("ema_start", ema_start, "the step after which the average begins (before it, the weights themselves)");
  }
};

// How the linear denoiser is initialised and optimised (training.linear).
struct LinearTrainingSpec : OptimizerSpec {
  LinearInit init = LinearInit::kZero;
  bool train_bias = false;    // false holds b_t at mu0 (the setting of the GD theory)

  double auto_tolerance = 0.005;  // steps: auto: SGD's noise below this share of the loss, the GD theory within half of it

  LinearTrainingSpec() : OptimizerSpec(Optimizer::kSgd, LrSchedule::kConstant, StepCount::chosen(), 256) {}

  static constexpr MovedKey kMovedKeys[] = {
      {"base_channels", "moved: U-Net settings live under training.unet (training.unet.base_channels)"},
      {"depth", "moved: U-Net settings live under training.unet (training.unet.depth)"},
      {"groups", "moved: U-Net settings live under training.unet (training.unet.groups)"},
      {"time_dim", "moved: U-Net settings live under training.unet (training.unet.time_dim)"},
  };

  template <class Visitor>
  void fields(Visitor& v) {
    optimizer_fields(v, "learning rate; 0 = automatic (the GD theory's rate T d / (2 max k_t), capped by half the minibatch stability limit B d / (2 (m2 + (r + 1) k)) and, with steps: auto, by the noise limit auto_tolerance B d / mean_t Tr K_t; docs/conventions.md)");
    v("init", init, "zero | normal (entries N(0, 1/d))");
    v("train_bias", train_bias, "train b_t (false holds it at mu0, the setting of the GD theory)");
    v("auto_tolerance", auto_tolerance, "steps: auto: the automatic rate keeps SGD's noise below this share of the held-out loss, and the steps bring the GD theory within half of it of the optimum's (and flat over the last decade)");
  }
};

// The U-Net's architecture and optimisation (training.unet).
struct UNetTrainingSpec : OptimizerSpec {
  std::int64_t base_channels = 32;  // channels at full resolution
  std::int64_t depth = 2;           // halvings
  std::int64_t groups = 8;          // GroupNorm groups
  std::int64_t time_dim = 64;       // time embedding size
  Precision precision = Precision::kFloat32;  // the convolutions' arithmetic

  UNetTrainingSpec() : OptimizerSpec(Optimizer::kAdam, LrSchedule::kCosine, StepCount::chosen(), 128) {
    ema_decay = 0.999;
    max_steps = 20000;  // ~3 h of the default 28x28 model on 2 cores
  }

  static constexpr MovedKey kMovedKeys[] = {
      {"init", "applies only to the linear model (training.linear.init)"},
      {"train_bias", "applies only to the linear model (training.linear.train_bias)"},
  };

  template <class Visitor>
  void fields(Visitor& v) {
    optimizer_fields(v, "learning rate; 0 = automatic (2e-3)");
    v("base_channels", base_channels, "channels at full resolution (doubled per level)");
    v("depth", depth, "number of halvings (the image side must be divisible by 2^depth)");
    v("groups", groups, "GroupNorm groups");
    v("time_dim", time_dim, "size of the sinusoidal time embedding (even)");
    v("precision", precision, "float32 | bfloat16: the convolutions' arithmetic (bfloat16 sums products in float and keeps parameters, normalisation and the residual stream in float32; fast on CPUs with AVX-512 BF16/AMX and on GPUs; docs/benchmarks.md#bfloat16)");
  }
};

// The training sweep: every (model, objective, N, c, seed) cell, trained with one loop and
// evaluated at log-spaced checkpoints.
struct TrainingSpec {
  std::vector<std::string> models = {"linear", "unet"};
  std::vector<Objective> objectives = {Objective::kNoise};
  std::vector<std::int64_t> n;            // [] = the theory sizes
  std::vector<double> c = {0};
  std::vector<std::int64_t> seeds = {0};
  int checkpoints = 8;                    // log-spaced evaluation steps (0 and the last included)
  int patience = 0;                       // early stopping: checkpoints without held-out improvement; 0 = off
  double patience_from = 0.1;             // share of the steps before which checkpoints never stop a run
  std::int64_t eval_samples = 2048;       // Monte Carlo loss: (row, t, noise) draws per split
  std::int64_t samples = 0;               // generated samples per cell at the end; 0 = max(2 d, 256)
  double duplicate_ratio = 1.0 / 3.0;     // memorised when d1 / d2 < this
  DeviceKind device = DeviceKind::kCpu;
  LinearTrainingSpec linear;
  UNetTrainingSpec unet;

  // A copy with every model's section at its default (what a cell of one model does not depend on).
  TrainingSpec without_model_sections() const;

  template <class Visitor>
  void fields(Visitor& v) {
    v("models", models, "models to train: linear and/or unet");
    v("objectives", objectives, "noise and/or data prediction");
    v("n", n, "training-set sizes N (nested subsets); [] = the theory's sizes");
    v("c", c, "regularisation strengths c >= 0 (linear: exact penalty; U-Net: noise augmentation of the data)");
    v("seeds", seeds, "training seeds (initialisation, data order, noise, timesteps); the training subset uses the top-level seed");
    v("checkpoints", checkpoints, "number of log-spaced evaluation/checkpoint steps (step 0 and the last included)");
    v("patience", patience, "early stopping: stop after this many checkpoints without a lower held-out loss; 0 = off");
    v("patience_from", patience_from, "share of the steps before which checkpoints count for the best model but never stop the run (log-spaced early checkpoints are steps apart)");
    v("eval_samples", eval_samples, "Monte Carlo loss: (row, t, noise) draws on the training set and on held-out data");
    v("samples", samples, "samples generated per cell after training (sample statistics, memorisation); 0 = max(2 d, 256)");
    v("duplicate_ratio", duplicate_ratio, "a sample is a near-copy when d1 / d2 < this (d1, d2: two nearest training points)");
    v("device", device, "cpu | cuda (needs a CUDA build of LibTorch)");
    v("linear", linear, "the linear denoiser's optimisation");
    v("unet", unet, "the U-Net's architecture and optimisation");
  }
};

// Halder's one-step model (docs/theory.md#halder-one-step-model) over repeated training draws.
struct OneStepSweepSpec {
  std::vector<std::int64_t> n;  // training-set sizes; [] = off
  int draws = 20;               // independent training sets (and noise) per N
  std::string preset;           // "" or ldm: fills every convention key the file leaves out as LDM.py does
  double time = 2.0;            // T of x_T = e^{-T} x_0 + \sqrt{l (1 - e^{-2T})} z
  double level = 1.0;           // l
  bool intercept = true;        // fit x_0 ~ A x_T + b (true) or A x_T
  std::string prior = "stationary";        // stationary | fitted
  std::string covariance = "pushforward";  // pushforward | transposed
  std::string delta = "mmd";    // mmd | kde_l2
  std::int64_t fresh = 0;       // fresh population rows per draw for Delta; 0 = N
  double bandwidth = 0;         // mmd: Gaussian kernel width h; 0 = \sqrt{Tr Sigma}
  double kde_sigma = 0;         // kde_l2: sigma of eps = sigma K^{-1/d}; 0 = \sqrt{Tr Sigma / d}

  template <class Visitor>
  void fields(Visitor& v) {
    v("n", n, "training-set sizes N for Halder's one-step model; [] = not run");
    v("draws", draws, "independent training sets (and noise draws) per N");
    v("preset", preset, "'' or ldm: every convention key below that the file leaves out is set as Halder's LDM.py does (level exp(-2 time), prior fitted, covariance transposed, delta kde_l2, fresh 10000); a saved config.yaml holds the filled values, so --set one_step.time on it keeps its level");
    v("time", time, "noising time T: x_T = exp(-T) x0 + sqrt(l (1 - exp(-2T))) z");
    v("level", level, "stationary variance l of the noising process (the stationary prior is N(0, l I))");
    v("intercept", intercept, "fit x0 ~ A x_T + b (true) or x0 ~ A x_T (false)");
    v("prior", prior, "law of x_T when generating: stationary (N(0, l I)) or fitted (N(exp(-T) mean(train), s^2 I), s^2 = exp(-2T) v + l (1 - exp(-2T)), v the mean unbiased per-coordinate variance of the training set)");
    v("covariance", covariance, "generated covariance: pushforward (s^2 A A^T, what the model samples) or transposed (s^2 A^T A, as LDM.py codes it)");
    v("delta", delta, "memorisation statistic Delta: mmd (MMD^2 to the training set minus to fresh rows, kernel width bandwidth) or kde_l2 (LDM.py: L2 distance to the kernel density estimate of each set, eps = kde_sigma K^(-1/d))");
    v("fresh", fresh, "kde_l2: fresh held-out rows per draw that Delta compares with; 0 = N (mmd always uses N)");
    v("bandwidth", bandwidth, "mmd: Gaussian kernel width h; 0 = sqrt(Tr Sigma) of the population");
    v("kde_sigma", kde_sigma, "kde_l2: sigma of the bandwidth eps = sigma K^(-1/d) of a set of K rows; 0 = sqrt(Tr Sigma / d) of the population (LDM.py: the data's standard deviation)");
  }
};

// The per-noise-level comparison of denoisers on shared inputs (docs/denoisers.md): analytic
// references against each other and against every trained cell at each of its checkpoints.
struct DenoiseSpec {
  std::vector<std::string> references;  // analytic denoisers (registry names); [] = no comparison
  std::vector<std::int64_t> t;          // timesteps of the (respaced) chain; [] = 8 log-spaced over 1..T
  std::int64_t queries = 128;           // clean images per split (training and held-out), each noised at every t
  bool arrays = true;                   // also write inputs, outputs and the training set as .npy
  std::int64_t samples = 64;            // samples per denoiser drawn from shared noise; 0 = none
  SamplerKind sampler = SamplerKind::kDdpm;
  int patch_size = 3;                   // patch machines (ls, els, bbels): odd patch size P
  ElsPadding els_padding = ElsPadding::kKambGanguli;
  double wiener_threshold = 0;          // wiener_local: mask threshold; 0 = the dataset's default
  std::string calibrate_against;        // a trained model or a networks: name; "" = no calibration
  std::vector<int> calibrate_patch_sizes = {1, 3, 5, 7, 9, 11, 13, 15};         // candidates of P
  std::vector<double> calibrate_thresholds = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5};  // of wiener_threshold
  double max_minutes = 240;             // refuse a stage estimated to take longer; 0 = no limit

  template <class Visitor>
  void fields(Visitor& v) {
    v("references", references, "analytic denoisers to compare: empirical (the training set's exact posterior mean), wiener (optimal linear of the training set), bayes (Gaussian data only), ls, els, bbels (Kamb & Ganguli's patch machines), wiener_local (Lukoianov et al.'s Wiener-locality masks); [] = no comparison");
    v("t", t, "timesteps 1..T of the (respaced) chain at which every denoiser is compared; [] = 8 log-spaced (resolved in config.yaml)");
    v("queries", queries, "clean images per split (the first of the training set and of the held-out split), each noised once per t with noise shared by every denoiser and N");
    v("samples", samples, "samples each denoiser (every reference and every cell's reported model) draws from the same initial and per-step noise, compared one to one; 0 = none");
    v("sampler", sampler, "ddpm (ancestral, the same fresh noise at every step for every denoiser) | ddim (deterministic from the same initial noise)");
    v("arrays", arrays, "write the noisy inputs, clean images, training sets and every denoiser's outputs as .npy with denoise/<dataset>/index.json");
    v("patch_size", patch_size, "patch machines ls, els, bbels: the odd patch size P (all channels of the P x P pixels around each pixel)");
    v("wiener_threshold", wiener_threshold, "wiener_local: a coordinate q enters pixel p's distance when |L_t[p,q]| >= this x the row's largest; 0 = the dataset's default (0.005 MNIST-like, 0.05 cifar10, 0.02 celeba)");
    v("calibrate_against", calibrate_against, "a model of training.models or a networks: name: per t, each local denoiser of references (ls, els, bbels: the patch size; wiener_local: the threshold) takes the candidate that agrees best with that network's reported model on half of the held-out inputs, checked on the other half; \"\" = none");
    v("calibrate_patch_sizes", calibrate_patch_sizes, "candidate odd patch sizes P for calibrate_against; a size above the largest useful one acts as it (2 max(H, W) - 1 with zero padding; for els with wrapped or Kamb & Ganguli's borders the largest odd size within min(H, W))");
    v("calibrate_thresholds", calibrate_thresholds, "candidate wiener_local thresholds in (0, 1) for calibrate_against");
    v("max_minutes", max_minutes, "the references' and calibration's estimated time (from the float GEMM rate measured at the start, docs/denoisers.md#cost) above which the run is refused before any work (exit 6); 0 = no limit");
    v("els_padding", els_padding, "els borders: kamb_ganguli (query wrapped, only training patches inside an image, as their code) | circular (both wrapped) | zero (both zero-padded)");
  }
};

// A user's network saved with torch.jit.save, evaluated like a trained cell (docs/denoisers.md#your-own-network).
struct NetworkSpec {
  std::string name;     // its model name in results and figures
  std::string file;     // the TorchScript file
  Objective objective = Objective::kNoise;
  std::int64_t n = 0;   // the training set it saw: lindiff's first N of the dataset's seeded draw
  std::string dataset;  // the dataset's label; "" = the config's only dataset

  // Whether it belongs to the dataset labelled `label` (an entry without a dataset belongs to the
  // config's only one).
  bool belongs_to(const std::string& label) const { return dataset.empty() || dataset == label; }
  NetworkInput input = NetworkInput::kImage;
  TimestepBase timestep = TimestepBase::kOneBased;
  std::int64_t steps = 0;  // the training steps it had, recorded as its step (0 = unknown)

  template <class Visitor>
  void fields(Visitor& v) {
    v("name", name, "the network's name in results.csv and figures (letters, digits, '_', '-', '.'; not a denoiser kind's name)");
    v("file", file, "the TorchScript file (torch.jit.save of a module whose forward(x, t) returns a tensor shaped like x)");
    v("objective", objective, "what forward(x, t) predicts: noise (eps) or data (x0)");
    v("n", n, "the training set the network saw: the first N images of lindiff's seeded draw of the dataset (denoise arrays write it as N<n>/training_set.npy)");
    v("dataset", dataset, "label of the dataset it was trained on; '' = the config's only dataset");
    v("input", input, "image: x is [B, C, H, W] | flat: x is [B, d] (channel planes, row-major)");
    v("timestep", timestep, "one_based: t is the diffusion step 1..T of theory.steps | zero_based: 0..T-1 (PyTorch/diffusers convention); with theory.respace the network still gets the original step");
    v("steps", steps, "its training steps, recorded as the step of its rows (0 = unknown)");
  }
};

// A whole experiment file.
struct ExperimentConfig {
  std::string name = "experiment";
  std::string output_dir;  // default: runs/<name>
  std::uint64_t seed = 0;
  int threads = 0;         // 0 = every core
  std::vector<DatasetSpec> datasets;
  SpectrumSpec spectrum;
  TheorySpec theory;
  TrainingSpec training;
  OneStepSweepSpec one_step;
  DenoiseSpec denoise;
  std::vector<NetworkSpec> networks;

  template <class Visitor>
  void fields(Visitor& v) {
    v("name", name, "name of the experiment; the default output folder is runs/<name>");
    v("output_dir", output_dir, "folder for results (default runs/<name>)");
    v("seed", seed, "seed of training subsets (and of everything random downstream)");
    v("threads", threads, "threads for BLAS and LibTorch; 0 = every core");
    v("datasets", datasets, "the datasets (a list; 'dataset: X' is accepted for a single one)");
    v("spectrum", spectrum, "covariance-spectrum analysis (also: solver and route of every eigendecomposition)");
    v("theory", theory, "closed-form theory curves (the schedule here is also the one models are trained with)");
    v("training", training, "training of the linear denoiser and the U-Net");
    v("one_step", one_step, "Halder's solvable one-step model over repeated training draws (theory and run)");
    v("denoise", denoise, "which denoiser is the network: per-noise-level comparison with analytic denoisers on shared noise (train and run)");
    v("networks", networks, "your own TorchScript networks, each evaluated like a trained cell of its dataset and N (train, denoise and run)");
  }
};

// Parses, overrides, resolves and validates an experiment file: `overrides` are
// "key=value" strings applied before validation. Throws ConfigError naming the file, the
// key and its line, and what would be valid.
ExperimentConfig load_config(const std::string& path, const std::vector<std::string>& overrides);

// Parses and validates config text (e.g. the copy saved with a checkpoint); `origin` names it in errors.
ExperimentConfig load_config_text(const std::string& text, const std::string& origin);

// The resolved config as YAML text (every key, defaults included), loadable again.
std::string to_yaml(const ExperimentConfig& config);

// Every key with its default and help text, one per line.
std::string describe_keys();

}  // namespace lindiff

#include "src/training/training_loop.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include <torch/torch.h>

#include "models/linear_denoiser.h"
#include "models/unet.h"
#include "src/common/error.h"
#include "src/diffusion/forward_process.h"
#include "tests/support/file_size_limit.h"
#include "tests/support/random_tensors.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::TempDir;
using testing::write_bytes;

// Every parameter concatenated, then the same for their average (the weights again without one).
template <class Model>
torch::Tensor weights_and_average(Model& model, Trainer& trainer) {
  std::vector<torch::Tensor> flat;
  for (const torch::Tensor& p : model->parameters()) flat.push_back(p.detach().flatten().clone());
  trainer.swap_average();
  for (const torch::Tensor& p : model->parameters()) flat.push_back(p.detach().flatten().clone());
  return torch::cat(flat);
}

// Trains `steps` steps; when `split` > 0, stops there, saves, and continues in a fresh
// Trainer (as a resumed process would). Returns every parameter concatenated.
template <class Model>
torch::Tensor train_possibly_resumed(std::function<Model()> make, const torch::Tensor& data, const Schedule& schedule,
                                     TrainOptions options, std::int64_t split, const std::filesystem::path& file) {
  Model model = make();
  auto target_of = [](Model& m) {
    return TrainingTarget{[m](const at::Tensor& x, const at::Tensor& t) mutable { return m->forward(x, t); }, nullptr,
                          m->parameters(), m.ptr()};
  };
  if (split > 0) {
    TrainOptions first = options;
    first.checkpoints = {split};
    Trainer trainer(target_of(model), data, schedule, first);
    trainer.run([&](std::int64_t step) {
      if (step == split) trainer.save(file.string());
      return step < split;
    });
    model = make();  // a fresh process: new module, new optimizer, state from the file
    Trainer resumed(target_of(model), data, schedule, options);
    resumed.load(file.string());
    EXPECT_EQ(resumed.step(), split);
    resumed.run([](std::int64_t) { return true; });
    return weights_and_average(model, resumed);
  }
  Trainer trainer(target_of(model), data, schedule, options);
  trainer.run([](std::int64_t) { return true; });
  return weights_and_average(model, trainer);
}

// A run stopped at a checkpoint and resumed from the file ends bit-identical to an
// uninterrupted one: parameters, Adam moments, the weight average (begun before the split or
// after it) and the three random streams all restored.
TEST(Trainer, ResumedRunIsBitIdentical) {
  TempDir dir;
  const Schedule schedule = Schedule::linear(30);
  const torch::Tensor data = testing::random_rows(40, 16, 1);
  TrainOptions options;
  options.optimizer = Optimizer::kAdam;
  options.learning_rate = 1e-2;
  options.rate_shape.kind = LrSchedule::kCosine;
  options.steps = 24;
  options.batch_size = 8;
  options.seed = 5;
  std::function<LinearDenoiser()> linear = [&] {
    return LinearDenoiser(LinearDenoiserOptions{16, Objective::kNoise, LinearInit::kNormal, true, 3}, schedule_tensors(schedule).sqrt_abar);
  };
  for (const std::int64_t ema_start : {5, 15}) {
    options.ema_decay = 0.9;  // begun before the split (5), after it (15)
    options.ema_start = ema_start;
    EXPECT_TRUE(torch::equal(train_possibly_resumed(linear, data, schedule, options, 0, dir / "a.pt"),
                             train_possibly_resumed(linear, data, schedule, options, 11, dir / "a.pt")))
        << "ema_start " << ema_start;
  }
  options.ema_start = 2;
  std::function<UNet()> unet = [&] {
    torch::manual_seed(4);
    return UNet(UNetOptions{1, 4, 4, 8, 1, 4, 8});
  };
  options.augment_std = 0.3;
  options.steps = 6;
  EXPECT_TRUE(torch::equal(train_possibly_resumed(unet, data, schedule, options, 0, dir / "u.pt"),
                           train_possibly_resumed(unet, data, schedule, options, 3, dir / "u.pt")));
}

// The average after each step s > ema_start: a copy of the weights at the first, then
// a <- d a + (1 - d) w with d = min(ema_decay, (1 + n) / (10 + n)), n the updates averaged so far;
// swapping twice gives the weights back.
TEST(Trainer, WeightAverageFollowsItsRecursion) {
  const Schedule schedule = Schedule::linear(10);
  const torch::Tensor data = testing::random_rows(20, 4, 2);
  TrainOptions options;
  options.learning_rate = 0.1;
  options.steps = 6;
  options.batch_size = 4;
  options.ema_decay = 0.2;
  options.ema_start = 2;
  options.checkpoints = {1, 2, 3, 4, 5, 6};
  LinearDenoiser model(LinearDenoiserOptions{4, Objective::kNoise, LinearInit::kNormal, true, 3}, schedule_tensors(schedule).sqrt_abar);
  const TrainingTarget target{[model](const at::Tensor& x, const at::Tensor& t) mutable { return model->forward(x, t); },
                              nullptr, model->parameters(), model.ptr()};
  Trainer trainer(target, data, schedule, options);
  std::vector<torch::Tensor> weights;  // after each step
  trainer.run([&](std::int64_t) {
    weights.push_back(model->parameters()[0].detach().to(torch::kDouble).clone());
    return true;
  });
  ASSERT_EQ(weights.size(), 6u);
  torch::Tensor expected = weights[2];  // step 3, the first after ema_start; then d = 0.1, 2/11, 0.2 (the cap)
  for (int s = 4; s <= 6; ++s) {
    const double n = s - 2 - 1;
    const double d = std::min(0.2, (1 + n) / (10 + n));
    expected = d * expected + (1 - d) * weights[static_cast<std::size_t>(s - 1)];
  }
  trainer.swap_average();
  EXPECT_TRUE(torch::allclose(model->parameters()[0].detach().to(torch::kDouble), expected, 1e-6, 1e-7));
  trainer.swap_average();
  EXPECT_TRUE(torch::equal(model->parameters()[0].detach().to(torch::kDouble), weights.back()));
}

// A run killed right after its step-0 checkpoint was saved resumes without reporting step 0
// again (its rows were written before the checkpoint; a second call duplicated them).
TEST(Trainer, ResumeFromStepZeroDoesNotRepeatTheStepZeroCheckpoint) {
  TempDir dir;
  const Schedule schedule = Schedule::linear(10);
  const torch::Tensor data = testing::random_rows(20, 4, 1);
  TrainOptions options;
  options.steps = 4;
  options.batch_size = 4;
  options.checkpoints = {0, 2, 4};
  const auto make_target = [&](LinearDenoiser& m) {
    return TrainingTarget{[m](const at::Tensor& x, const at::Tensor& t) mutable { return m->forward(x, t); }, nullptr,
                          m->parameters(), m.ptr()};
  };
  LinearDenoiser first(LinearDenoiserOptions{4, Objective::kNoise, LinearInit::kZero, false, 0}, schedule_tensors(schedule).sqrt_abar);
  Trainer killed(make_target(first), data, schedule, options);
  killed.run([&](std::int64_t step) {
    killed.save((dir / "latest.pt").string());
    return step > 0;  // "killed" right after the step-0 checkpoint was saved
  });
  LinearDenoiser second(LinearDenoiserOptions{4, Objective::kNoise, LinearInit::kZero, false, 0}, schedule_tensors(schedule).sqrt_abar);
  Trainer resumed(make_target(second), data, schedule, options);
  resumed.load((dir / "latest.pt").string());
  std::vector<std::int64_t> reported;
  resumed.run([&](std::int64_t step) {
    reported.push_back(step);
    return true;
  });
  EXPECT_EQ(reported, (std::vector<std::int64_t>{2, 4}));
}

// A checkpoint save that meets a full disk is a ResourceError naming the file (LibTorch's file
// writer aborted the process), and the previous checkpoint still resumes.
TEST(Trainer, CheckpointOnAFullDiskFailsCleanlyKeepingThePreviousOne) {
  TempDir dir;
  const Schedule schedule = Schedule::linear(10);
  LinearDenoiser model(LinearDenoiserOptions{64, Objective::kNoise, LinearInit::kZero, false, 0}, schedule_tensors(schedule).sqrt_abar);
  TrainOptions options;
  options.steps = 2;
  options.batch_size = 4;
  Trainer trainer(TrainingTarget{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); },
                                 nullptr, model->parameters(), model.ptr()},
                  testing::random_rows(8, 64, 1), schedule, options);
  const std::string path = (dir / "latest.pt").string();
  trainer.save(path);
  const std::string saved = testing::read_text(path);
  ASSERT_GT(saved.size(), 4096u);  // 10 x 64 x 64 float weights
  {
    testing::FileSizeLimit full_disk(4096);
    EXPECT_THAT([&] { trainer.save(path); }, ThrowsMessage<ResourceError>(HasSubstr("latest.pt")));
  }
  EXPECT_EQ(testing::read_text(path), saved);
  trainer.load(path);
  EXPECT_EQ(trainer.step(), 0);
}

TEST(Trainer, CorruptCheckpointIsADataErrorNamingTheFile) {
  TempDir dir;
  write_bytes(dir / "broken.pt", "not a checkpoint");
  const Schedule schedule = Schedule::linear(5);
  LinearDenoiser model(LinearDenoiserOptions{4, Objective::kNoise, LinearInit::kZero, true, 0}, schedule_tensors(schedule).sqrt_abar);
  Trainer trainer(TrainingTarget{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); },
                                 nullptr, model->parameters(), model.ptr()},
                  testing::random_rows(8, 4, 1), schedule, TrainOptions{});
  EXPECT_THAT([&] { trainer.load((dir / "broken.pt").string()); }, ThrowsMessage<DataError>(HasSubstr("broken.pt")));
}

}  // namespace
}  // namespace lindiff

#!/usr/bin/env python3
"""Python PyTorch peer of lindiff's training benchmark (bench/bench_training.cpp).

The same models, data shapes, noise schedule and training step as the C++ benchmarks, written
as idiomatic eager PyTorch, so that lindiff's throughput can be put next to a plain PyTorch
implementation (bench/compare_with_pytorch.py runs both alternately). Benchmark names mirror
the C++ ones without the "BM_" prefix and the "/real_time" suffix:

  FloatGemm                              [1024, 784] x [784, 784] float32 products (gflops)
  LinearTrainStep/d:D/T:T/one_t:0|1      10 SGD steps at batch 512 (steps_per_s; gflops counts
                                         the step's two [512, d] x [d, d] products, as in C++)
  UNetTrainStep                          10 Adam steps at batch 128 (images_per_s)
  UNetTrainStepBf16                      the same under torch.autocast(bfloat16), GroupNorm fed
                                         float32 (lindiff's training.unet.precision: bfloat16)
  UNetForward                            one no-grad forward pass of 128 images (images_per_s)
  EmpiricalOptimum/N:N                   the empirical optimum's posterior mean of 256 queries at
                                         random t against N training rows, d = 784 (gflops: 4 B N d)
  Els/N:N                                Kamb & Ganguli's ELS machine, 4 queries of 28x28 at random
                                         t, P = 5, against N training images: unfold, matrix
                                         products and a log-sum-exp streamed over blocks of patches
                                         (gflops: the distance products; images_per_s)

Every benchmark runs one untimed warm-up iteration, then --iterations timed ones (wall time,
time.perf_counter), on os.cpu_count() threads, and prints one JSON object on stdout; the rate
is work / total timed seconds, like Google Benchmark's iteration-invariant rate counters.
--device cuda puts every model, parameter and tensor on the GPU (random draws are made on the
CPU and copied, like lindiff's seeded streams) and synchronises the GPU before the clock is
read at the start and end of every timed region and after the warm-up; each JSON object
records the device (and on CUDA the GPU's name, the CUDA version and the TF32 switches).
Python PyTorch is an optional dependency of lindiff: without it this script says so and exits 0;
--device cuda where PyTorch sees no GPU exits 2.
"""

import argparse
import json
import math
import os
import re
import statistics
import sys
import time

try:
    import torch
    from torch import nn
    import torch.nn.functional as F

    _Module = nn.Module
except ImportError:  # --help and --list still work; running a benchmark reports the skip
    torch = nn = F = None
    _Module = object

SKIP_MESSAGE = "skipped: Python PyTorch not found (Debian: apt install python3-torch)"

# The C++ benchmark's sizes (bench/bench_training.cpp).
UNET_BATCH = 128
UNET_DATA_ROWS = 1024
LINEAR_BATCH = 512
LINEAR_DATA_ROWS = 4096
LINEAR_DIMS = (256, 784)
LINEAR_TIMESTEPS = (100, 200, 1000)
DEFAULT_STEPS = 10  # optimizer steps in one iteration (one lindiff::train() call)
GEMM_BATCH, GEMM_DIM = 1024, 784  # BM_FloatGemm's kBatch, kDim
GEMM_MIN_PRODUCTS = 10  # products in one FloatGemm iteration, at least ...
GEMM_MIN_SECONDS = 0.1  # ... and as many as take this long (calibrated at set-up)
EMPIRICAL_QUERIES, EMPIRICAL_ROWS = 256, (1024, 8192)
ELS_QUERIES, ELS_SIDE, ELS_PATCH, ELS_ROWS = 4, 28, 5, (1024, 8192)  # BM_Els's
ELS_BLOCK = 8192  # training patches per block of logits: [4 x 784, 8192] floats, 100 MB

# Parameters of UNetOptions{1, 28, 28, 32, 2, 8, 64} counted from models/unet.cpp (weights + biases):
#   time_mlp 8,320 + 16,512; input conv 320
#   level 0: block(32->32) 22,752, downsample 3x3 32->64 18,496
#   level 1: block(64->64) 82,368, downsample 3x3 64->128 73,856
#   middle block(128->128) 312,192
#   up level 1: upsample conv 128->64 73,792, block(128->64, 1x1 skip) 127,616
#   up level 0: upsample conv 64->32 18,464, block(64->32, 1x1 skip) 34,112
#   output GroupNorm 64, output conv 289                                     total 789,153
UNET_CPP_PARAMETERS = 789_153


def benchmark_names():
    """All benchmark names, in the order bench_training lists them."""
    linear = [f"LinearTrainStep/d:{d}/T:{steps}/one_t:{one_t}"
              for one_t in (1, 0) for steps in LINEAR_TIMESTEPS for d in LINEAR_DIMS]
    return (["FloatGemm"] + linear + ["UNetTrainStep", "UNetTrainStepBf16", "UNetForward"] +
            [f"EmpiricalOptimum/N:{n}" for n in EMPIRICAL_ROWS] + [f"Els/N:{n}" for n in ELS_ROWS])


def synchronize(device):
    """Waits until `device` has finished its queued work (CUDA kernels run asynchronously);
    nothing to wait for on the CPU."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


# ---------------------------------------------------------------------------------------------
# Noise schedule and training loop (src/theory/schedule.cpp, src/diffusion/forward_process.cpp,
# src/training/training_loop.cpp)
# ---------------------------------------------------------------------------------------------

def linear_schedule(steps, device, beta_min=1e-4, beta_max=2e-2):
    """sqrt(abar_t) and sqrt(1 - abar_t) for t = 1..T as float32 [T] tensors on `device`.

    Mirrors Schedule::linear(T) (beta_t linear from beta_min at t = 1 to beta_max at t = T, both
    ends included) followed by schedule_tensors(): computed in double on the CPU, stored as float.
    """
    betas = torch.linspace(beta_min, beta_max, steps, dtype=torch.float64)
    abar = torch.cumprod(1.0 - betas, dim=0)
    return abar.sqrt().float().to(device), (1.0 - abar).sqrt().float().to(device)


def train(predict, parameters, data, schedule, make_optimizer, batch_size, steps, one_t_per_batch):
    """One lindiff::train() call: a fresh optimizer, then `steps` noise-objective steps.

    Each step draws batch_size rows with replacement, t uniform in 1..T per row (or one t for
    the whole minibatch), eps ~ N(0, I), x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, and
    minimises mean((pred - eps)^2). Like the C++ loop it draws rows, t and eps on the CPU and
    copies them to the data's device, reads the loss each step (its divergence check) and
    clears gradients to None, not zero.
    """
    sqrt_abar, sqrt_one_minus_abar = schedule
    timesteps = sqrt_abar.shape[0]
    device = data.device
    optimizer = make_optimizer(parameters)
    for _ in range(steps):
        x0 = data[torch.randint(data.shape[0], (batch_size,)).to(device)]
        if one_t_per_batch:
            t = torch.randint(1, timesteps + 1, (1,)).to(device).expand(batch_size)
        else:
            t = torch.randint(1, timesteps + 1, (batch_size,)).to(device)
        eps = torch.randn(x0.shape).to(device)
        x_t = sqrt_abar[t - 1, None] * x0 + sqrt_one_minus_abar[t - 1, None] * eps
        loss = F.mse_loss(predict(x_t, t), eps)
        if not math.isfinite(loss.item()):
            raise FloatingPointError(f"training diverged: loss = {loss.item()}")
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()


# ---------------------------------------------------------------------------------------------
# Models (models/unet.cpp, models/linear_denoiser.cpp)
# ---------------------------------------------------------------------------------------------

def timestep_embedding(t, dim):
    """Sinusoidal embedding [B, dim]: sin then cos of t / 10000^(k / (dim/2)) (unet.cpp)."""
    half = dim // 2
    frequencies = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    angles = t.float()[:, None] * frequencies[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


class FloatGroupNorm(nn.GroupNorm if nn else object):
    """GroupNorm whose input is cast to float32 first: under CPU autocast in PyTorch 1.13 a bfloat16
    convolution output reaching nn.GroupNorm's float32 weights fails (mixed dtypes), and lindiff
    normalises in float32 too."""

    def forward(self, x):
        return super().forward(x.float())


class ResidualBlock(_Module):
    """x + conv(silu(norm(conv(silu(norm(x))) + time))), 1x1 skip when widths differ (ResidualBlockImpl)."""

    def __init__(self, in_channels, out_channels, embedding, groups):
        super().__init__()
        self.norm1 = FloatGroupNorm(math.gcd(groups, in_channels), in_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.time = nn.Linear(embedding, out_channels)
        self.norm2 = FloatGroupNorm(math.gcd(groups, out_channels), out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.skip = nn.Conv2d(in_channels, out_channels, 1) if in_channels != out_channels else nn.Identity()

    def forward(self, x, embedding):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time(embedding)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return h + self.skip(x)


class UNet(_Module):
    """The U-Net of models/unet.cpp on flattened images [B, C*H*W] (CHW order).

    Time MLP Linear(time_dim, 4 base) SiLU Linear(4 base, 4 base); per level a residual block
    and a stride-2 3x3 convolution doubling the width; a middle block; per level on the way up
    nearest x2 upsampling, a 3x3 convolution halving the width, concatenation with the skip
    (upsampled first) and a residual block; GroupNorm, SiLU, 3x3 output convolution. PyTorch's
    default initialisation, the same as LibTorch's.
    """

    def __init__(self, channels=1, height=28, width=28, base_channels=32, depth=2, groups=8, time_dim=64):
        super().__init__()
        self.shape = (channels, height, width)
        self.time_dim = time_dim
        embedding = 4 * base_channels
        widths = [base_channels << level for level in range(depth + 1)]
        self.time_mlp = nn.Sequential(nn.Linear(time_dim, embedding), nn.SiLU(), nn.Linear(embedding, embedding))
        self.input = nn.Conv2d(channels, base_channels, 3, padding=1)
        self.down_blocks = nn.ModuleList(ResidualBlock(widths[i], widths[i], embedding, groups) for i in range(depth))
        self.downsamples = nn.ModuleList(nn.Conv2d(widths[i], widths[i + 1], 3, stride=2, padding=1)
                                         for i in range(depth))
        self.middle = ResidualBlock(widths[depth], widths[depth], embedding, groups)
        levels_up = range(depth - 1, -1, -1)
        self.upsamples = nn.ModuleList(nn.Conv2d(widths[i + 1], widths[i], 3, padding=1) for i in levels_up)
        self.up_blocks = nn.ModuleList(ResidualBlock(2 * widths[i], widths[i], embedding, groups) for i in levels_up)
        self.output_norm = FloatGroupNorm(math.gcd(groups, base_channels), base_channels)
        self.output = nn.Conv2d(base_channels, channels, 3, padding=1)

    def forward(self, x, t):
        batch = x.shape[0]
        embedding = self.time_mlp(timestep_embedding(t, self.time_dim))
        h = self.input(x.view(batch, *self.shape))
        skips = []
        for block, downsample in zip(self.down_blocks, self.downsamples):
            h = block(h, embedding)
            skips.append(h)
            h = downsample(h)
        h = self.middle(h, embedding)
        for upsample, block in zip(self.upsamples, self.up_blocks):
            h = upsample(F.interpolate(h, scale_factor=2, mode="nearest"))
            h = block(torch.cat([h, skips.pop()], dim=1), embedding)
        return self.output(F.silu(self.output_norm(h))).reshape(batch, -1)


class LinearDenoiser(_Module):
    """Per-timestep linear noise predictor eps_hat(x, t) = W_t (x - sqrt(abar_t) b_t).

    The idiomatic PyTorch form of models/linear_denoiser.cpp with objective "noise", init "zero"
    and a fixed (buffer) bias: one Parameter W [T, d, d], so its gradient is dense over all T
    timesteps and SGD updates all of W every step (lindiff keeps one parameter per timestep
    and touches only the timesteps a minibatch used). Made on sqrt_abar's device.
    """

    def __init__(self, dim, sqrt_abar):
        super().__init__()
        steps = sqrt_abar.shape[0]
        self.weight = nn.Parameter(torch.zeros(steps, dim, dim, device=sqrt_abar.device))
        self.register_buffer("bias", torch.zeros(steps, dim, device=sqrt_abar.device))
        self.register_buffer("sqrt_abar", sqrt_abar.clone())

    def forward(self, x, t):
        """One timestep per row: a batched product with the gathered W[t] [B, d, d]."""
        index = t - 1
        centred = x - self.sqrt_abar[index, None] * self.bias[index]
        return torch.bmm(self.weight[index], centred.unsqueeze(2)).squeeze(2)

    def forward_at(self, x, t):
        """One timestep t for the whole minibatch: one [B, d] x [d, d] product."""
        return (x - self.sqrt_abar[t - 1] * self.bias[t - 1]) @ self.weight[t - 1].T


# ---------------------------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------------------------

def parameter_count(module):
    """Number of trainable scalars in `module`."""
    return sum(p.numel() for p in module.parameters())


def checked_unet(device):
    """UNetOptions{1, 28, 28, 32, 2, 8, 64} on `device`; raises if its size differs from the C++ U-Net's."""
    model = UNet(channels=1, height=28, width=28, base_channels=32, depth=2, groups=8, time_dim=64)
    count = parameter_count(model)
    if count != UNET_CPP_PARAMETERS:
        raise RuntimeError(f"U-Net has {count} parameters, the C++ one {UNET_CPP_PARAMETERS}: not the same model")
    return model.to(device)


def bench_float_gemm(_steps, device):
    """Mirrors BM_FloatGemm: x [1024, 784] times w^T, w [784, 784], float32, randn (gflops).

    The reference rate for the linear model's one_t:1 step (two such products per step). One
    iteration is `products` back-to-back products: at least GEMM_MIN_PRODUCTS, and as many as
    take GEMM_MIN_SECONDS by a calibration at set-up, so that launching the kernels and the
    synchronisations around a timed region (microseconds on a GPU) stay negligible.
    """
    x = torch.randn(GEMM_BATCH, GEMM_DIM).to(device)
    w = torch.randn(GEMM_DIM, GEMM_DIM).to(device)

    def run_products(count):
        for _ in range(count):
            torch.matmul(x, w.t())

    run_products(1)  # library and kernel initialisation
    synchronize(device)
    start = time.perf_counter()
    run_products(GEMM_MIN_PRODUCTS)
    synchronize(device)
    per_product = (time.perf_counter() - start) / GEMM_MIN_PRODUCTS
    products = max(GEMM_MIN_PRODUCTS, min(1_000_000, math.ceil(GEMM_MIN_SECONDS / max(per_product, 1e-9))))

    def iteration():
        run_products(products)

    flops = 2.0 * GEMM_BATCH * GEMM_DIM * GEMM_DIM
    return iteration, {"gflops": flops * products / 1e9}, {"products": products}


def bench_unet_train_step(steps, device, bfloat16=False):
    """Mirrors BM_UNetTrainStep: Adam (LibTorch defaults, lr 1e-3), batch 128, T = 1000; with
    `bfloat16` (BM_UNetTrainStepBf16) the forward pass runs under torch.autocast(bfloat16), which
    puts the convolutions and linear layers in bfloat16, and the prediction is cast to float32 for
    the loss, as lindiff does.

    Returns (run one iteration, work counters per iteration, extra fields).
    """
    model = checked_unet(device)
    schedule = linear_schedule(1000, device)
    data = torch.randn(UNET_DATA_ROWS, 784).to(device)

    def predict(x, t):
        if not bfloat16:
            return model(x, t)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16):
            return model(x, t).float()

    def iteration():
        train(predict, list(model.parameters()), data, schedule, lambda p: torch.optim.Adam(p, lr=1e-3),
              UNET_BATCH, steps, one_t_per_batch=False)

    return iteration, {"images_per_s": UNET_BATCH * steps}, {"parameters": parameter_count(model), "steps": steps}


def bench_unet_forward(_steps, device):
    """Mirrors BM_UNetForward: one no-grad forward pass of 128 images at random t in 1..1000."""
    model = checked_unet(device)
    x = torch.randn(UNET_BATCH, 784).to(device)
    t = torch.randint(1, 1001, (UNET_BATCH,)).to(device)

    def iteration():
        with torch.no_grad():
            model(x, t)

    return iteration, {"images_per_s": UNET_BATCH}, {"parameters": parameter_count(model)}


def bench_empirical_optimum(rows_count, device):
    """Mirrors BM_EmpiricalOptimum/N: the posterior mean under a training set of N rows, d = 784,
    for 256 queries at random t of a 1000-step linear schedule, float32, as PyTorch users write it:
    the [B, N] logits from one matrix product (the squared norms of the rows computed once), one
    softmax over the whole set, one product with the rows."""
    rows = torch.rand(rows_count, GEMM_DIM).to(device)
    norms = (rows * rows).sum(1)
    x = torch.randn(EMPIRICAL_QUERIES, GEMM_DIM).to(device)
    t = torch.randint(1, 1001, (EMPIRICAL_QUERIES,))
    sqrt_abar, sqrt_one_minus = linear_schedule(1000, device)
    a = sqrt_abar[t - 1].to(device)
    one_minus = (sqrt_one_minus[t - 1] ** 2).to(device)

    def iteration():
        logits = (a / one_minus)[:, None] * (x @ rows.t()) - (a * a / (2 * one_minus))[:, None] * norms[None, :]
        torch.softmax(logits, dim=1) @ rows

    return iteration, {"gflops": 4.0 * EMPIRICAL_QUERIES * rows_count * GEMM_DIM / 1e9}, {"rows": rows_count}


def bench_els(rows_count, device):
    """Mirrors BM_Els/N: ELS with Kamb & Ganguli's borders (the query wrapped around, only training
    patches lying inside an image), P = 5, on 28x28 grey images, as a PyTorch user writes it: the
    training patches unfolded once, the query patches of all 4 queries unfolded per call, and per
    block of training patches one matrix product for the logits, folded into a running
    log-sum-exp (the weights of earlier blocks rescaled by exp(old max - new max)), so that every
    pixel gets one softmax over all N (28 - 4)^2 patches. ||query patch||^2 is the same for every
    training patch of a pixel and cancels in the softmax."""
    side, size, radius = ELS_SIDE, ELS_PATCH, ELS_PATCH // 2
    images = torch.rand(rows_count, 1, side, side).to(device)
    unfolded = F.unfold(images, size)  # [N, P^2, (side - P + 1)^2]: the patches inside an image
    centres = unfolded[:, size * size // 2, :].reshape(-1)
    patches = unfolded.transpose(1, 2).reshape(-1, size * size)
    norms = (patches * patches).sum(1)
    x = torch.randn(ELS_QUERIES, 1, side, side).to(device)
    t = torch.randint(1, 1001, (ELS_QUERIES,))
    sqrt_abar, sqrt_one_minus = linear_schedule(1000, device)
    pixels = side * side
    a = sqrt_abar[t - 1].to(device).repeat_interleave(pixels)  # per query patch
    one_minus = (sqrt_one_minus[t - 1] ** 2).to(device).repeat_interleave(pixels)
    scale, shift = (a / one_minus)[:, None], (a * a / (2 * one_minus))[:, None]

    def iteration():
        queries = F.unfold(F.pad(x, (radius,) * 4, mode="circular"), size)  # [B, P^2, H W]
        queries = queries.transpose(1, 2).reshape(-1, size * size)
        top = torch.full((queries.shape[0],), -math.inf, device=device)
        total = torch.zeros(queries.shape[0], device=device)
        weighted = torch.zeros(queries.shape[0], device=device)
        for start in range(0, patches.shape[0], ELS_BLOCK):
            block = slice(start, start + ELS_BLOCK)
            logits = scale * (queries @ patches[block].t()) - shift * norms[block][None, :]
            new_top = torch.maximum(top, logits.max(1).values)
            weights = torch.exp(logits - new_top[:, None])
            rescale = torch.exp(top - new_top)
            total = total * rescale + weights.sum(1)
            weighted = weighted * rescale + weights @ centres[block]
            top = new_top
        return (weighted / total).reshape(ELS_QUERIES, pixels)

    inside = (side - size + 1) ** 2
    flops = 2.0 * ELS_QUERIES * pixels * rows_count * inside * size * size
    return iteration, {"gflops": flops / 1e9, "images_per_s": ELS_QUERIES}, {"rows": rows_count, "patch_size": size}


def bench_linear_train_step(dim, timesteps, one_t_per_batch, steps, device):
    """Mirrors BM_LinearTrainStep/d/T/one_t: SGD lr 1e-3, batch 512, data randn [4096, d].

    one_t 0: a timestep per row, pred = bmm(W[t], x_t); one_t 1: one per minibatch,
    pred = x_t @ W[t0].T. gflops counts two [512, d] x [d, d] products a step (forward and
    weight gradient), like the C++ counter: compare it with FloatGemm's.
    """
    schedule = linear_schedule(timesteps, device)
    model = LinearDenoiser(dim, schedule[0])
    data = torch.randn(LINEAR_DATA_ROWS, dim).to(device)
    if one_t_per_batch:
        predict = lambda x, t: model.forward_at(x, int(t[0]))  # noqa: E731
    else:
        predict = model

    def iteration():
        train(predict, list(model.parameters()), data, schedule, lambda p: torch.optim.SGD(p, lr=1e-3),
              LINEAR_BATCH, steps, one_t_per_batch)

    flops = 2.0 * 2.0 * LINEAR_BATCH * dim * dim * steps
    return (iteration, {"steps_per_s": steps, "gflops": flops / 1e9},
            {"parameters": parameter_count(model), "steps": steps})


def linear_memory_bytes(dim, timesteps, one_t_per_batch):
    """Rough peak bytes of a linear benchmark: W and its dense gradient, plus the gathered
    W[t] [B, d, d] and its gradient for one timestep per row."""
    weights = 4 * timesteps * dim * dim
    gathered = 0 if one_t_per_batch else 2 * 4 * LINEAR_BATCH * dim * dim
    return 2 * weights + gathered


def available_memory_bytes(device):
    """Free bytes on `device`: the GPU's free memory on CUDA, else MemAvailable from
    /proc/meminfo, or None where there is none."""
    if device.type == "cuda":
        return torch.cuda.mem_get_info(device)[0]
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def is_allocation_failure(error):
    """Whether `error` is PyTorch (or Python) failing to allocate memory."""
    if isinstance(error, MemoryError):
        return True
    text = str(error)
    return isinstance(error, RuntimeError) and ("can't allocate memory" in text or "out of memory" in text)


def setup_benchmark(name, steps, device):
    """(iteration, counters, extra) for benchmark `name` on `device`; ValueError for unknown names."""
    if name == "FloatGemm":
        return bench_float_gemm(steps, device)
    if name == "UNetTrainStep":
        return bench_unet_train_step(steps, device)
    if name == "UNetTrainStepBf16":
        return bench_unet_train_step(steps, device, bfloat16=True)
    if name == "UNetForward":
        return bench_unet_forward(steps, device)
    match = re.fullmatch(r"LinearTrainStep/d:(\d+)/T:(\d+)/one_t:([01])", name)
    if match:
        dim, timesteps, one_t = (int(g) for g in match.groups())
        return bench_linear_train_step(dim, timesteps, one_t == 1, steps, device)
    match = re.fullmatch(r"EmpiricalOptimum/N:(\d+)", name)
    if match:
        return bench_empirical_optimum(int(match.group(1)), device)
    match = re.fullmatch(r"Els/N:(\d+)", name)
    if match:
        return bench_els(int(match.group(1)), device)
    raise ValueError(f"unknown benchmark {name!r}")


def memory_shortfall(name, device):
    """A reason to skip `name` when its estimated memory exceeds what `device` has free, else None."""
    match = re.fullmatch(r"LinearTrainStep/d:(\d+)/T:(\d+)/one_t:([01])", name)
    if not match:
        return None
    available = available_memory_bytes(device)
    if available is None:
        return None
    dim, timesteps, one_t = (int(g) for g in match.groups())
    needed = linear_memory_bytes(dim, timesteps, one_t == 1)
    if needed <= 0.9 * available:
        return None
    return f"needs about {needed / 1e9:.1f} GB, {available / 1e9:.1f} GB available"


def device_fields(device):
    """The JSON record's description of `device`: its type, and on CUDA the GPU, the CUDA
    version and whether float32 matrix products and cuDNN convolutions may use TF32."""
    fields = {"device": device.type}
    if device.type == "cuda":
        fields.update(gpu=torch.cuda.get_device_name(device), cuda=torch.version.cuda,
                      tf32_matmul=torch.backends.cuda.matmul.allow_tf32, tf32_cudnn=torch.backends.cudnn.allow_tf32)
    return fields


def run_benchmark(name, iterations, steps, device, profile_dir=None):
    """Warm-up plus `iterations` timed iterations of `name` on `device`; returns its JSON record.

    On CUDA the GPU is synchronised after the warm-up and before the clock is read at the
    start and at the end of every timed iteration, so that the times cover the queued kernels.
    With `profile_dir`, one more untimed iteration runs under PyTorch's profiler and is written
    there as a Chrome trace named after the benchmark (bench/profile_summary.py reads it).
    """
    record = {"name": name, "torch": torch.__version__, "threads": torch.get_num_threads(), **device_fields(device)}
    if device.type == "cuda":
        torch.cuda.empty_cache()  # blocks cached by earlier benchmarks count as free for this one
    shortfall = memory_shortfall(name, device)
    if shortfall:
        return dict(record, skipped=f"not enough memory: {shortfall}")
    torch.manual_seed(0)
    try:
        iteration, counters, extra = setup_benchmark(name, steps, device)
        iteration()  # warm-up
        synchronize(device)
        times = []
        for _ in range(iterations):
            synchronize(device)
            start = time.perf_counter()
            iteration()
            synchronize(device)
            times.append(time.perf_counter() - start)
        if profile_dir is not None:
            with torch.autograd.profiler.profile() as profiler:
                iteration()
                synchronize(device)
            profiler.export_chrome_trace(os.path.join(profile_dir, name.replace("/", "_") + ".json"))
    except (RuntimeError, MemoryError) as error:
        if not is_allocation_failure(error):
            raise
        return dict(record, skipped=f"allocation failed: {str(error).splitlines()[0]}")
    record.update(extra)
    record.update(iterations=iterations, seconds=times, median_seconds=statistics.median(times))
    record.update({key: work * iterations / sum(times) for key, work in counters.items()})
    return record


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Python PyTorch peer of lindiff's bench/bench_training.cpp: the same models and training "
                    "steps in eager PyTorch, one JSON object per benchmark on stdout.",
        epilog="Benchmarks: " + ", ".join(benchmark_names()) + ". Example: %(prog)s --filter 'd:256/T:200' "
               "--iterations 2. Rates: gflops (FloatGemm; also the linear steps' two products), images_per_s "
               "(U-Net) or steps_per_s (linear), work / total timed seconds. A linear benchmark that does not fit "
               "in memory (the GPU's free memory with --device cuda) prints a JSON object with a 'skipped' reason. "
               "Exit status 2: --device cuda and PyTorch sees no CUDA GPU.")
    parser.add_argument("--filter", default=".", metavar="REGEX",
                        help="run the benchmarks whose name matches REGEX (re.search; default: all)")
    parser.add_argument("--iterations", type=int, default=3, metavar="N",
                        help="timed iterations per benchmark after one untimed warm-up (default: 3)")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS, metavar="S",
                        help=f"optimizer steps per training iteration (default: {DEFAULT_STEPS}, as in lindiff; "
                             "fewer for slow configurations, the rates stay per step / per image)")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                        help="where every model, parameter and tensor lives (default: cpu); cuda: the current GPU, "
                             "synchronised around every timed region")
    parser.add_argument("--list", action="store_true", help="print the selected benchmark names and exit")
    parser.add_argument("--profile", metavar="DIR",
                        help="after the timed iterations, profile one more iteration of each benchmark with "
                             "PyTorch's profiler and write DIR/<name>.json (Chrome trace; summarise it with "
                             "bench/profile_summary.py); DIR must exist")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.steps < 1:
        parser.error("--iterations and --steps must be >= 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        pattern = re.compile(args.filter)
    except re.error as error:
        sys.exit(f"--filter {args.filter!r} is not a valid regular expression: {error}")
    names = [name for name in benchmark_names() if pattern.search(name)]
    if args.list:
        print("\n".join(names))
        return 0
    if torch is None:
        print(SKIP_MESSAGE)
        return 0
    if args.device == "cuda" and not torch.cuda.is_available():
        print(f"--device cuda: PyTorch {torch.__version__} sees no CUDA GPU (built with CUDA "
              f"{torch.version.cuda or 'none'}); run on a machine with one, or use --device cpu", file=sys.stderr)
        return 2
    if not names:
        sys.exit(f"no benchmark matches --filter {args.filter!r} (see --list)")
    # An explicit index: some torch.cuda functions (mem_get_info in 1.x) reject a bare "cuda".
    device = torch.device("cuda", torch.cuda.current_device()) if args.device == "cuda" else torch.device("cpu")
    torch.set_num_threads(os.cpu_count() or 1)
    for name in names:
        record = run_benchmark(name, args.iterations, args.steps, device, args.profile)
        if "skipped" in record:
            print(f"{name}: skipped, {record['skipped']}", file=sys.stderr)
        print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

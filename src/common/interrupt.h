// Owns the response to SIGINT and SIGTERM: the signal only sets a flag, and the run stops at
// its next safe point (a training step, a cell, a stage) by throwing, so every file already
// written stays whole and a rerun of the same command resumes from the last checkpoint.
#pragma once

namespace lindiff {

// Installs the handlers; a second signal of the same kind kills at once (the default action).
// Async-signal-safe: lindiff's executable calls it from .preinit_array, before any shared
// library (LibTorch's initialisers take ~0.3 s) runs, so that no signal finds it unprepared.
void install_interrupt_handlers();

// Throws InterruptedError when a handled signal has arrived. Call only outside parallel regions.
void throw_if_interrupted();

}  // namespace lindiff

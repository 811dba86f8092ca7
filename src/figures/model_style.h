// Owns how figures show a model: its name in results.csv, its name in legends and its colour.
// The denoiser registry (src/denoisers/registry.h) provides the styles of the known kinds; a
// figure draws every model its rows name, known or not.
#pragma once

#include <string>
#include <vector>

namespace lindiff {

// How figures show one model.
struct ModelStyle {
  std::string name;          // the `model` column of results.csv
  std::string display_name;  // in legends, e.g. "U-Net"
  int colour = 1;            // gnuplot line colour index
  bool exact = false;        // its rows hold exact evaluations (and gradient-descent theory) besides Monte Carlo ones
};

// The style of model `name` among `styles`; a model without one is shown by its name in a
// colour after theirs.
ModelStyle style_of(const std::vector<ModelStyle>& styles, const std::string& name);

}  // namespace lindiff

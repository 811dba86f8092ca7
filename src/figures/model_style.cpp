#include "src/figures/model_style.h"

#include <algorithm>

namespace lindiff {

ModelStyle style_of(const std::vector<ModelStyle>& styles, const std::string& name) {
  const auto it = std::find_if(styles.begin(), styles.end(), [&](const ModelStyle& s) { return s.name == name; });
  if (it != styles.end()) return *it;
  int colour = 1;
  for (const ModelStyle& s : styles) colour = std::max(colour, s.colour + 1);
  return ModelStyle{name, name, colour, false};
}

}  // namespace lindiff

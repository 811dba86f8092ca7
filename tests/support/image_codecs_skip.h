// Image files need a build with image codecs (OpenCV); the lean build skips the tests that use them.
#pragma once

#include <gtest/gtest.h>

#include "datasets/image_codecs.h"

#define SKIP_WITHOUT_IMAGE_CODECS() \
  if (!::lindiff::image_codecs_available()) GTEST_SKIP() << "this build has no image codecs (LINDIFF_WITH_OPENCV=OFF)"

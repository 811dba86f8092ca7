#include "src/common/shape_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace lindiff {
namespace {

using ::testing::StrEq;
using ::testing::ThrowsMessage;

TEST(ShapeText, RowsByColumns) {
  EXPECT_EQ(shape_text(Matrix(2, 3)), "2 x 3");
  EXPECT_EQ(shape_text(Vector(5)), "5 x 1");
}

TEST(CheckShape, MatchingShapesAndWildcardsPass) {
  EXPECT_NO_THROW(check_shape(Matrix(2, 3), 2, 3, "f", "a"));
  EXPECT_NO_THROW(check_shape(Matrix(2, 3), -1, 3, "f", "a"));
  EXPECT_NO_THROW(check_shape(Vector(4), 4, -1, "f", "a"));
  EXPECT_NO_THROW(check_shape(Matrix(0, 0), -1, -1, "f", "a"));
}

TEST(CheckShape, MismatchNamesFunctionArgumentAndBothShapes) {
  EXPECT_THAT([] { check_shape(Matrix(2, 3), 3, 3, "fit", "weights"); },
              ThrowsMessage<std::invalid_argument>(StrEq("fit: weights is 2 x 3, expected 3 x 3")));
  EXPECT_THAT([] { check_shape(Matrix(2, 3), -1, 2, "fit", "bias"); },
              ThrowsMessage<std::invalid_argument>(StrEq("fit: bias is 2 x 3, expected any x 2")));
  EXPECT_THAT([] { check_shape(Vector(4), 5, -1, "kl", "mean"); },
              ThrowsMessage<std::invalid_argument>(StrEq("kl: mean is 4 x 1, expected 5 x any")));
}

TEST(CheckSameShape, MismatchNamesBothArguments) {
  EXPECT_NO_THROW(check_same_shape(Matrix(2, 3), Matrix(2, 3), "f", "a", "b"));
  EXPECT_THAT([] { check_same_shape(Matrix(2, 2), Matrix(2, 3), "kl", "mean", "covariance"); },
              ThrowsMessage<std::invalid_argument>(
                  StrEq("kl: mean is 2 x 2 but covariance is 2 x 3 (they must have the same shape)")));
  EXPECT_THAT([] { check_same_shape(Vector(3), Matrix(1, 3), "g", "x", "y"); },
              ThrowsMessage<std::invalid_argument>(
                  StrEq("g: x is 3 x 1 but y is 1 x 3 (they must have the same shape)")));
}

}  // namespace
}  // namespace lindiff

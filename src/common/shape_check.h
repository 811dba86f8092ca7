// Owns the one shape check of lindiff's numerical code (like mlpack's CheckSameSizes): a
// mismatch is a programming error, reported as std::invalid_argument naming the function,
// the argument and both shapes.
#pragma once

#include <stdexcept>
#include <string>

#include "src/common/matrix.h"

namespace lindiff {

// "rows x cols" of a matrix or vector.
template <class Derived>
std::string shape_text(const Eigen::EigenBase<Derived>& a) {
  return std::to_string(a.rows()) + " x " + std::to_string(a.cols());
}

// Throws std::invalid_argument "<where>: <what> is R x C, expected rows x cols" unless `a`
// has that shape; a negative expected extent matches any. O(1).
template <class Derived>
void check_shape(const Eigen::EigenBase<Derived>& a, Index rows, Index cols, const std::string& where,
                 const std::string& what) {
  if ((rows < 0 || a.rows() == rows) && (cols < 0 || a.cols() == cols)) return;
  const auto extent = [](Index n) { return n < 0 ? std::string("any") : std::to_string(n); };
  throw std::invalid_argument(where + ": " + what + " is " + shape_text(a) + ", expected " + extent(rows) + " x " +
                              extent(cols));
}

// Throws std::invalid_argument unless `a` and `b` have the same shape. O(1).
template <class A, class B>
void check_same_shape(const Eigen::EigenBase<A>& a, const Eigen::EigenBase<B>& b, const std::string& where,
                      const std::string& what_a, const std::string& what_b) {
  if (a.rows() == b.rows() && a.cols() == b.cols()) return;
  throw std::invalid_argument(where + ": " + what_a + " is " + shape_text(a) + " but " + what_b + " is " +
                              shape_text(b) + " (they must have the same shape)");
}

}  // namespace lindiff

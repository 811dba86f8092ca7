#include "src/figures/table_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace lindiff {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// A filter on dataset, metric and source only.
RowFilter filter_of(const std::string& dataset, const std::string& metric, const std::string& source) {
  RowFilter filter;
  filter.dataset = dataset;
  filter.metric = metric;
  filter.source = source;
  return filter;
}

// Rows of two datasets: theory KL at two N and two c, one of them a gradient-descent step.
ResultsTable small_table() {
  ResultsTable table;
  table.add({"a", 4, 16, "linear", "noise", 0.1, std::nullopt, std::nullopt, "", "kl", 3.0, "theory"});
  table.add({"a", 4, 8, "linear", "noise", 0.0, std::nullopt, std::nullopt, "", "kl", 5.0, "theory"});
  table.add({"a", 4, 8, "linear", "noise", 0.0, std::nullopt, 100, "", "kl", 7.0, "theory"});
  table.add({"a", 4, 8, "unet", "data", 0.0, std::nullopt, std::nullopt, "", "kl", 9.0, "theory"});
  table.add({"a", 4, 8, "linear", "noise", 0.0, std::nullopt, std::nullopt, "", "kl", 1.0, "exact"});
  table.add({"b", 4, 32, "linear", "noise", 0.1, std::nullopt, std::nullopt, "", "kl", 2.0, "theory"});
  table.add({"a", 4, std::nullopt, "", "", std::nullopt, std::nullopt, std::nullopt, "", "kl", 4.0, "theory"});
  return table;
}

TEST(RowFilter, MetricAndSourceAlwaysMatchOptionalFieldsWhenSet) {
  const ResultRow row{"a", 4, 8, "linear", "noise", 0.0, std::nullopt, 100, "5", "kl", 7.0, "theory"};
  RowFilter filter = filter_of("a", "kl", "theory");
  EXPECT_TRUE(filter.matches(row));
  EXPECT_FALSE(filter_of("a", "kl", "exact").matches(row));
  EXPECT_FALSE(filter_of("a", "d_eff", "theory").matches(row));
  EXPECT_FALSE(filter_of("b", "kl", "theory").matches(row));
  EXPECT_TRUE(filter_of("", "kl", "theory").matches(row));  // no dataset: any
  filter.objective = "noise";
  filter.c = 0.0;
  filter.t = "5";
  filter.n = 8;
  filter.model = "linear";
  EXPECT_TRUE(filter.matches(row));
  filter.optimum_only = true;
  EXPECT_FALSE(filter.matches(row)) << "a row with a step is not the optimum";
  filter.optimum_only = false;
  for (auto change : std::vector<std::function<void(RowFilter&)>>{
           [](RowFilter& f) { f.objective = "data"; }, [](RowFilter& f) { f.c = 0.1; },
           [](RowFilter& f) { f.t = "all"; }, [](RowFilter& f) { f.n = 16; }, [](RowFilter& f) { f.model = "unet"; }}) {
    RowFilter other = filter;
    change(other);
    EXPECT_FALSE(other.matches(row));
  }
  ResultRow without_c_or_n = row;
  without_c_or_n.c.reset();
  without_c_or_n.n.reset();
  EXPECT_FALSE(filter.matches(without_c_or_n)) << "a filter on c and N needs both";
}

TEST(SelectXy, MatchingRowsSortedByX) {
  RowFilter filter = filter_of("a", "kl", "theory");
  filter.optimum_only = true;
  filter.model = "linear";
  const auto by_n = [](const ResultRow& row) { return static_cast<double>(*row.n); };
  EXPECT_THAT(select_xy(small_table(), filter, by_n), ElementsAre(Pair(8.0, 5.0), Pair(16.0, 3.0)));
  filter.source = "population";
  EXPECT_THAT(select_xy(small_table(), filter, by_n), IsEmpty());
}

TEST(DistinctValues, AscendingWithoutRowsLackingTheField) {
  const RowFilter filter = filter_of("a", "kl", "theory");
  EXPECT_THAT(distinct_n(small_table(), filter), ElementsAre(8, 16));
  EXPECT_THAT(distinct_c(small_table(), filter), ElementsAre(0.0, 0.1));
  EXPECT_THAT(distinct_n(small_table(), filter_of("", "kl", "theory")), ElementsAre(8, 16, 32));
}

TEST(RankSuffix, TheRankAfterThePrefixOrNothing) {
  EXPECT_EQ(rank_suffix("eigenvalue_12", "eigenvalue_"), "12");
  EXPECT_EQ(rank_suffix("mode_variance_3", "mode_variance_"), "3");
  EXPECT_EQ(rank_suffix("d_eff", "eigenvalue_"), "");
  EXPECT_EQ(rank_suffix("xeigenvalue_1", "eigenvalue_"), "");
}

// Only the `data` rows of the dataset with an N count; keyed by N, then by rank.
TEST(EigenvaluesByRank, DataRowsOfTheDatasetPerN) {
  ResultsTable table;
  table.add({"a", 4, 10, "", "", std::nullopt, std::nullopt, std::nullopt, "", "eigenvalue_1", 2.5, "data"});
  table.add({"a", 4, 10, "", "", std::nullopt, std::nullopt, std::nullopt, "", "eigenvalue_2", 0.5, "data"});
  table.add({"a", 4, 20, "", "", std::nullopt, std::nullopt, std::nullopt, "", "eigenvalue_1", 2.0, "data"});
  table.add({"a", 4, 20, "", "", std::nullopt, std::nullopt, std::nullopt, "", "d_eff", 1.7, "data"});
  table.add({"a", 4, 30, "", "", std::nullopt, std::nullopt, std::nullopt, "", "eigenvalue_1", 9.0, "population"});
  table.add({"a", 4, std::nullopt, "", "", std::nullopt, std::nullopt, std::nullopt, "", "eigenvalue_1", 9.0, "data"});
  table.add({"b", 4, 10, "", "", std::nullopt, std::nullopt, std::nullopt, "", "eigenvalue_1", 9.0, "data"});
  const auto eigenvalues = eigenvalues_by_rank(table, "a");
  EXPECT_THAT(eigenvalues, ElementsAre(Pair(10, ElementsAre(Pair("1", 2.5), Pair("2", 0.5))),
                                       Pair(20, ElementsAre(Pair("1", 2.0)))));
}

}  // namespace
}  // namespace lindiff

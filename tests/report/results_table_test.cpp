#include "src/report/results_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "src/common/error.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::TempDir;

TEST(FormatNumber, ShortestRoundTripAndSpecialValues) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(1e-30), "1e-30");
  EXPECT_EQ(std::stod(format_number(1.0 / 3)), 1.0 / 3);
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(format_number(std::nan("")), "nan");
}

TEST(ResultsTable, WritesTidyCsvWithEmptyCellsForMissingFields) {
  TempDir dir;
  ResultsTable table;
  table.add({"fashion_mnist", 784, 60000, "", "", std::nullopt, std::nullopt, std::nullopt, "", "d_eff", 7.5, "data"});
  table.add({"a,b", 4, std::nullopt, "linear", "noise", 0.01, 2u, 100, "all", "kl_model_data",
             std::numeric_limits<double>::infinity(), "exact"});
  table.write_csv(dir / "results.csv");
  EXPECT_EQ(testing::read_text(dir / "results.csv"),
            "dataset,d,N,model,objective,c,seed,step,t,metric,value,source\n"
            "fashion_mnist,784,60000,,,,,,,d_eff,7.5,data\n"
            "\"a,b\",4,,linear,noise,0.01,2,100,all,kl_model_data,inf,exact\n");
}

TEST(ResultsTable, ReadsBackWhatItWrote) {
  TempDir dir;
  ResultsTable table;
  table.add({"fashion_mnist", 784, 60000, "", "", std::nullopt, std::nullopt, std::nullopt, "", "d_eff", 7.5, "data"});
  table.add({"x2", 4, 16, "linear", "noise", 0.01, 2u, 100, "a,\"b\"", "kl_model_data",
             std::numeric_limits<double>::infinity(), "exact"});
  table.add({"x", 4, 16, "unet", "data", 0.0, 0u, 0, "5", "test_loss", 1.0 / 3, "monte_carlo"});
  table.write_csv_atomically(dir / "results.csv");
  const ResultsTable back = ResultsTable::read_csv(dir / "results.csv");
  ASSERT_EQ(back.rows().size(), 3u);
  back.write_csv(dir / "again.csv");
  EXPECT_EQ(testing::read_text(dir / "results.csv"), testing::read_text(dir / "again.csv"));
  EXPECT_EQ(back.rows()[1].t, "a,\"b\"");  // quoted and unquoted
  EXPECT_TRUE(std::isinf(back.rows()[1].value));
  EXPECT_EQ(back.rows()[2].value, 1.0 / 3);
  EXPECT_FALSE(back.rows()[0].c.has_value());
  EXPECT_EQ(*back.rows()[2].step, 0);
}

TEST(ResultsTable, NamesThatCouldBecomePathsOrCommandsAreRefusedOnReading) {
  TempDir dir;
  for (const std::string& dataset : {std::string("x$(cd;touch PWNED)"), std::string("../../escaped"), std::string("a/b")}) {
    std::ofstream(dir / "shared.csv") << kResultsHeader << "\nsynthetic,4,16,linear,noise,0,0,1,all,test_loss,0.5,exact\n"
                                      << dataset << ",4,16,linear,noise,0,0,1,all,test_loss,0.5,exact\n";
    EXPECT_THAT([&] { ResultsTable::read_csv(dir / "shared.csv"); },
                ThrowsMessage<DataError>(AllOf(HasSubstr("shared.csv:3"), HasSubstr("dataset name"))))
        << dataset;
  }
  std::ofstream(dir / "model.csv") << kResultsHeader << "\nsynthetic,4,16,`id`,noise,0,0,1,all,test_loss,0.5,exact\n";
  EXPECT_THAT([&] { ResultsTable::read_csv(dir / "model.csv"); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("model.csv:2"), HasSubstr("model name"))));
}

TEST(ResultsTable, MalformedFileNamesFileAndLine) {
  TempDir dir;
  {
    std::ofstream out(dir / "bad.csv");
    out << kResultsHeader << "\nx,4,16,linear,noise,0,0,1,all,test_loss,0.5,exact\nx,4,sixteen,linear,noise,0,0,1,all,test_loss,0.5,exact\n";
  }
  EXPECT_THAT([&] { ResultsTable::read_csv(dir / "bad.csv"); }, ThrowsMessage<DataError>(HasSubstr("bad.csv:3")));
  {
    std::ofstream out(dir / "other.csv");
    out << "a,b,c\n";
  }
  EXPECT_THROW(ResultsTable::read_csv(dir / "other.csv"), DataError);
  EXPECT_THROW(ResultsTable::read_csv(dir / "absent.csv"), DataError);
}

}  // namespace
}  // namespace lindiff

#include "src/report/manifest.h"

#include <unistd.h>

#include <ctime>

#include <Eigen/Core>

#include "build_info.h"
#include "git_commit.h"
#include "src/common/atomic_file.h"
#include "src/common/error.h"

namespace lindiff {

namespace {

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buffer;
}

std::string host_name() {
  char buffer[256] = {0};
  gethostname(buffer, sizeof buffer - 1);
  return buffer;
}

}  // namespace

Manifest::Manifest(const std::string& command, const RuntimeInfo& runtime)
    : start_(std::chrono::steady_clock::now()) {
  json_["lindiff_version"] = LINDIFF_VERSION;
  json_["git_commit"] = LINDIFF_GIT_COMMIT;
  json_["build_type"] = LINDIFF_BUILD_TYPE;
  json_["compiler"] = LINDIFF_CXX_COMPILER;
  json_["command"] = command;
  json_["command_line"] = runtime.command_line;
  json_["started_utc"] = utc_now();
  json_["host"] = host_name();
  json_["threads"] = runtime.threads;
  json_["device"] = runtime.device;
  json_["gpu"] = runtime.gpu;
  json_["cuda_runtime"] = runtime.cuda_runtime;
  json_["libraries"] = {
      {"eigen", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                    std::to_string(EIGEN_MINOR_VERSION)},
      {"opencv", LINDIFF_OPENCV_VERSION},
      {"yaml-cpp", LINDIFF_YAML_CPP_VERSION},
      {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                            std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                            std::to_string(NLOHMANN_JSON_VERSION_PATCH)},
      {"blas", runtime.blas},
      {"torch", runtime.torch_version},
  };
  json_["stage_seconds"] = nlohmann::json::object();
}

void Manifest::add_stage_time(const std::string& name, double seconds) {
  double previous = json_["stage_seconds"].value(name, 0.0);
  json_["stage_seconds"][name] = previous + seconds;
}

void Manifest::write(const std::filesystem::path& path) {
  json_["wall_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  json_["finished_utc"] = utc_now();
  write_file_atomically(path, json_.dump(2) + "\n");
}

StageTimer::StageTimer(Manifest& manifest, std::string stage)
    : manifest_(manifest), stage_(std::move(stage)), start_(std::chrono::steady_clock::now()) {}

StageTimer::~StageTimer() {
  manifest_.add_stage_time(stage_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
}

}  // namespace lindiff

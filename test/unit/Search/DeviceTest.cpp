//===- DeviceTest.cpp - what a CPU run's rounding depends on -------------===//
#include "hdx/Search/Device.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

using namespace hdx::search;

namespace {

/// Sets an environment variable for the scope, restoring it after.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name_(name) {
    if (const char *old = std::getenv(name))
      old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

private:
  const char *name_;
  std::optional<std::string> old_;
};

TEST(CpuNumerics, ReportsTheVectorIsaCapsAsSet) {
  ScopedEnv aten("ATEN_CPU_CAPABILITY", "avx2");
  ScopedEnv dnnl("DNNL_MAX_CPU_ISA", "AVX2");
  CpuNumerics cpu = cpuNumerics();
  EXPECT_EQ(cpu.atenCapability, "avx2");
  EXPECT_EQ(cpu.dnnlMaxIsa, "AVX2");
}

TEST(CpuNumerics, ReportsUnsetCapsAsEmpty) {
  ScopedEnv aten("ATEN_CPU_CAPABILITY", nullptr);
  ScopedEnv dnnl("DNNL_MAX_CPU_ISA", nullptr);
  CpuNumerics cpu = cpuNumerics();
  EXPECT_EQ(cpu.atenCapability, "");
  EXPECT_EQ(cpu.dnnlMaxIsa, "");
}

} // namespace

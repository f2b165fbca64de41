//===- ModelFileTest.cpp - atomic writes and reads of model files ---------===//
#include "hdx/Onnx/ModelFile.h"
#include "hdx/Support/AtomicFile.h"

#include "TempDir.h"

#include <onnx/onnx_pb.h>

#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace hdx;
using namespace hdx::onnxlib;

namespace {

onnx::ModelProto modelOfBytes(size_t bytes) {
  onnx::ModelProto model;
  model.set_ir_version(7);
  model.add_opset_import()->set_version(13);
  model.mutable_graph()->set_name("g");
  onnx::TensorProto *w = model.mutable_graph()->add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(static_cast<int64_t>(bytes / 4));
  w->set_raw_data(std::string(bytes / 4 * 4, '\x01'));
  return model;
}

std::string contents(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

/// Writes `model` to `path` while files may grow to `maxFileBytes` only, so
/// that a larger model fails part way through.
void writeWithFileSizeLimit(const onnx::ModelProto &model,
                            const std::string &path, rlim_t maxFileBytes,
                            Status &status) {
  struct rlimit old;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = maxFileBytes;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  status = writeModelFile(model, path);
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, oldHandler);
}

TEST(ModelFile, WritesReadableFileWithUsualPermissions) {
  test::TempDir dir;
  onnx::ModelProto model = modelOfBytes(64);
  std::string path = dir.file("m.onnx");
  Status s = writeModelFile(model, path);
  ASSERT_TRUE(s.ok()) << s.error();
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(info.st_mode & 0777, 0644 & ~mask);
  onnx::ModelProto read;
  s = readModelFile(path, read);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(read.SerializeAsString(), model.SerializeAsString());
}

TEST(ModelFile, FailedWriteMidwayLeavesNoFile) {
  test::TempDir dir;
  std::string path = dir.file("big.onnx");
  Status s;
  ASSERT_NO_FATAL_FAILURE(
      writeWithFileSizeLimit(modelOfBytes(64 * 1024), path, 4096, s));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("cannot write '" + path + "'"), std::string::npos)
      << s.error();
  EXPECT_TRUE(dir.entries().empty());
}

TEST(ModelFile, FailedWriteKeepsTheOldFile) {
  test::TempDir dir;
  std::string path = dir.file("m.onnx");
  ASSERT_TRUE(hdx::writeFileAtomically(path, "old").empty());
  Status s;
  ASSERT_NO_FATAL_FAILURE(
      writeWithFileSizeLimit(modelOfBytes(8 * 1024), path, 1024, s));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(contents(path), "old");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"m.onnx"});
}

TEST(ModelFile, FailedRenameLeavesNoTemporaryFile) {
  test::TempDir dir;
  // The destination is a non-empty directory: rename() fails after the
  // temporary file is complete.
  std::string path = dir.file("taken");
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  ASSERT_TRUE(hdx::writeFileAtomically(path + "/inside", "x").empty());
  Status s = writeModelFile(modelOfBytes(64), path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("cannot replace '" + path + "'"), std::string::npos)
      << s.error();
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"taken"});
}

TEST(ModelFile, MissingDirectoryIsAnError) {
  test::TempDir dir;
  Status s = writeModelFile(modelOfBytes(64), dir.file("no/such/m.onnx"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("No such file or directory"), std::string::npos);
  EXPECT_TRUE(dir.entries().empty());
}

TEST(ModelFile, ReadingSomethingElseIsAnError) {
  test::TempDir dir;
  onnx::ModelProto model;
  Status s = readModelFile(dir.file("absent.onnx"), model);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.error().find("cannot open"), std::string::npos) << s.error();

  s = readModelFile(dir.path(), model);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.error().find("is not a regular file"), std::string::npos)
      << s.error();

  ASSERT_TRUE(
      hdx::writeFileAtomically(dir.file("text.onnx"), "not a model").empty());
  s = readModelFile(dir.file("text.onnx"), model);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.error().find("is not a binary ONNX model"), std::string::npos)
      << s.error();
}

} // namespace

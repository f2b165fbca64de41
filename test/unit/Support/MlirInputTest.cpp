//===- MlirInputTest.cpp - the MLIR input check ---------------------------===//
#include "hdx/Support/MlirInput.h"

#include <gtest/gtest.h>

using hdx::mlirNestingDepth;

namespace {

// Depths counted by hand.
TEST(MlirInput, NestingDepthCountsEveryBracketKind) {
  EXPECT_EQ(mlirNestingDepth(""), 0u);
  EXPECT_EQ(mlirNestingDepth("module {}"), 1u);
  // { ( [ < > ] ) }
  EXPECT_EQ(mlirNestingDepth("{ f([#a<1>]) }"), 4u);
  // Siblings do not add up.
  EXPECT_EQ(mlirNestingDepth("[1] [2] [[3]]"), 2u);
}

TEST(MlirInput, ArrowsStringsAndCommentsDoNotNest) {
  // "(i32) -> (i32)": the arrow's '>' closes nothing, so the depth is 1,
  // not 0 followed by a second opening.
  EXPECT_EQ(mlirNestingDepth("(i32) -> (i32)"), 1u);
  EXPECT_EQ(mlirNestingDepth("{ x = \"[[[[\\\"((((\" }"), 1u);
  EXPECT_EQ(mlirNestingDepth("// [[[[[[\n[]"), 1u);
  // A stray closer does not go below zero and hide later nesting.
  EXPECT_EQ(mlirNestingDepth(")))) [[]]"), 2u);
}

TEST(MlirInput, DeepNestingIsRefusedWithTheDepth) {
  const std::string path = ::testing::TempDir() + "hdx-deep.mlir";
  {
    std::FILE *f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::string text = "module attributes {x = " + std::string(1200, '[') +
                       std::string(1200, ']') + "} {}\n";
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
  std::string error;
  EXPECT_FALSE(hdx::checkMlirInputFile(path, error));
  EXPECT_EQ(error, path + ": brackets are nested 1201 deep, more than the "
                          "1000 an MLIR input may have");
  EXPECT_TRUE(hdx::checkMlirInputFile("-", error));
  std::remove(path.c_str());
}

} // namespace

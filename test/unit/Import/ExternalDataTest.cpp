//===- ExternalDataTest.cpp - initializers stored beside the model --------===//
#include "hdx/Import/OnnxImporter.h"

#include "hdx/Dialect/HDX/HDXOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>

#include <sys/mman.h>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace {

/// A model `y = MatMul(x, w)` whose 2x2 weight `w` is external data at
/// `location` (relative to the model): an initializer, or the value of a
/// Constant node.
std::string modelWithExternalWeight(const std::string &location,
                                    bool inConstantNode = false,
                                    const char *length = "16") {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  onnx::GraphProto *graph = model.mutable_graph();
  graph->set_name("g");
  auto addValue = [](google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> *list,
                     const char *name, std::initializer_list<int64_t> dims) {
    onnx::ValueInfoProto *v = list->Add();
    v->set_name(name);
    auto *t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
      t->mutable_shape()->add_dim()->set_dim_value(d);
  };
  addValue(graph->mutable_input(), "x", {1, 2});
  addValue(graph->mutable_output(), "y", {1, 2});
  onnx::TensorProto *w;
  if (inConstantNode) {
    onnx::NodeProto *constant = graph->add_node();
    constant->set_name("weight");
    constant->set_op_type("Constant");
    constant->add_output("w");
    onnx::AttributeProto *value = constant->add_attribute();
    value->set_name("value");
    value->set_type(onnx::AttributeProto::TENSOR);
    w = value->mutable_t();
  } else {
    w = graph->add_initializer();
  }
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(2);
  w->add_dims(2);
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto addEntry = [&](const char *key, const std::string &value) {
    auto *entry = w->add_external_data();
    entry->set_key(key);
    entry->set_value(value);
  };
  addEntry("location", location);
  addEntry("offset", "4"); // skip a 4-byte header to test offsets
  if (length)
    addEntry("length", length);
  onnx::NodeProto *node = graph->add_node();
  node->set_name("matmul");
  node->set_op_type("MatMul");
  node->add_input("x");
  node->add_input("w");
  node->add_output("y");
  return model.SerializeAsString();
}

/// Every value of every arith.constant in `module`, in order.
std::vector<float> constantValues(mlir::ModuleOp module) {
  std::vector<float> values;
  module->walk([&](mlir::arith::ConstantOp op) {
    for (float v :
         mlir::cast<mlir::DenseElementsAttr>(op.getValue()).getValues<float>())
      values.push_back(v);
  });
  return values;
}

class ExternalDataTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("hdx-external-" + std::to_string(::getpid()));
    fs::create_directories(dir / "model");
    float header = -1.0f, values[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    std::ofstream out(dir / "model" / "weights.bin", std::ios::binary);
    out.write(reinterpret_cast<const char *>(&header), 4);
    out.write(reinterpret_cast<const char *>(values), sizeof(values));
    std::ofstream outside(dir / "outside.bin", std::ios::binary);
    outside.write(reinterpret_cast<const char *>(values), sizeof(values));
    context.loadDialect<hdx::HDXDialect, mlir::arith::ArithDialect>();
  }
  void TearDown() override { fs::remove_all(dir); }

  mlir::OwningOpRef<mlir::ModuleOp> import(const std::string &location,
                                           bool inConstantNode = false,
                                           const char *length = "16") {
    std::string path = (dir / "model" / "model.onnx").string();
    return hdx::importOnnx(
        modelWithExternalWeight(location, inConstantNode, length), path,
        &context);
  }

  fs::path dir;
  mlir::MLIRContext context;
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler{&context, [this](mlir::Diagnostic &d) {
                                          diagnostics += d.str() + "\n";
                                        }};
};

TEST_F(ExternalDataTest, ReadsWeightsBesideTheModel) {
  auto module = import("weights.bin");
  ASSERT_TRUE(module) << diagnostics;
  // MatMul's weight is transposed into the fully connected layer's K x C.
  EXPECT_EQ(constantValues(*module),
            (std::vector<float>{1.0f, 3.0f, 2.0f, 4.0f}));
}

// A Constant node's tensor is looked up beside the model too, not in the
// current directory.
TEST_F(ExternalDataTest, ReadsConstantNodeDataBesideTheModel) {
  auto module = import("weights.bin", /*inConstantNode=*/true);
  ASSERT_TRUE(module) << diagnostics;
  EXPECT_EQ(constantValues(*module),
            (std::vector<float>{1.0f, 3.0f, 2.0f, 4.0f}));
}

TEST_F(ExternalDataTest, RejectsPathsLeavingTheModelDirectory) {
  EXPECT_FALSE(import("../outside.bin"));
  EXPECT_NE(diagnostics.find("external data location '../outside.bin' must be "
                             "a relative path inside the model's directory"),
            std::string::npos)
      << diagnostics;
}

TEST_F(ExternalDataTest, RejectsAbsolutePaths) {
  EXPECT_FALSE(import((dir / "outside.bin").string()));
  EXPECT_NE(diagnostics.find("must be a relative path"), std::string::npos)
      << diagnostics;
}

TEST_F(ExternalDataTest, ReportsAMissingFile) {
  EXPECT_FALSE(import("missing.bin"));
  EXPECT_NE(diagnostics.find("tensor 'w': cannot read external data file"),
            std::string::npos)
      << diagnostics;
}

// A symbolic link inside the model's folder that leads out of it is
// refused by its real path, before anything is read.
TEST_F(ExternalDataTest, RejectsLinksLeadingOutOfTheModelDirectory) {
  fs::create_symlink(dir / "outside.bin", dir / "model" / "link.bin");
  EXPECT_FALSE(import("link.bin"));
  EXPECT_NE(diagnostics.find("external data location 'link.bin' resolves to '"),
            std::string::npos)
      << diagnostics;
  EXPECT_NE(diagnostics.find("outside the model's directory"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  fs::create_symlink("/dev/zero", dir / "model" / "zero.bin");
  EXPECT_FALSE(import("zero.bin", false, nullptr));
  EXPECT_NE(diagnostics.find("outside the model's directory"),
            std::string::npos)
      << diagnostics;
}

// A link that stays inside the folder is an ordinary file.
TEST_F(ExternalDataTest, FollowsLinksInsideTheModelDirectory) {
  fs::create_symlink("weights.bin", dir / "model" / "alias.bin");
  auto module = import("alias.bin");
  ASSERT_TRUE(module) << diagnostics;
  EXPECT_EQ(constantValues(*module),
            (std::vector<float>{1.0f, 3.0f, 2.0f, 4.0f}));
}

// A FIFO would block the reader forever: only regular files are read.
TEST_F(ExternalDataTest, RefusesFilesThatAreNotRegular) {
  ASSERT_EQ(::mkfifo((dir / "model" / "pipe.bin").c_str(), 0600), 0);
  EXPECT_FALSE(import("pipe.bin", false, nullptr));
  EXPECT_NE(diagnostics.find("external data file '"), std::string::npos)
      << diagnostics;
  EXPECT_NE(diagnostics.find("pipe.bin' is not a regular file"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  fs::create_directories(dir / "model" / "folder");
  EXPECT_FALSE(import("folder", false, nullptr));
  EXPECT_NE(diagnostics.find("is not a regular file"), std::string::npos)
      << diagnostics;
}

// The tensor declares 16 bytes (2x2 floats); a length or a file that holds
// another amount is an error naming both, and no more than the declared
// bytes are read.
TEST_F(ExternalDataTest, ReadsExactlyTheDeclaredBytes) {
  EXPECT_FALSE(import("weights.bin", false, "12"));
  EXPECT_NE(diagnostics.find("holds 12 bytes from offset 4, the tensor needs 16"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  {
    std::ofstream grow(dir / "model" / "weights.bin",
                       std::ios::binary | std::ios::app);
    grow << "trailing";
  }
  // Without a length, the rest of the file (24 bytes) is the data.
  EXPECT_FALSE(import("weights.bin", false, nullptr));
  EXPECT_NE(diagnostics.find("holds 24 bytes from offset 4, the tensor needs 16"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  // With the right length the trailing bytes are not read.
  auto module = import("weights.bin");
  ASSERT_TRUE(module) << diagnostics;
  EXPECT_EQ(constantValues(*module),
            (std::vector<float>{1.0f, 3.0f, 2.0f, 4.0f}));
}

// A model file that is a FIFO would block the importer forever.
TEST_F(ExternalDataTest, RefusesAModelThatIsNotARegularFile) {
  ASSERT_EQ(::mkfifo((dir / "model.onnx").c_str(), 0600), 0);
  EXPECT_FALSE(hdx::importOnnxFile((dir / "model.onnx").string(), &context));
  EXPECT_NE(diagnostics.find("model.onnx': not a regular file"),
            std::string::npos)
      << diagnostics;
}

// protobuf parses at most INT_MAX bytes: a larger model is refused with the
// reason instead of being cut to a prefix or aborting inside protobuf. The
// 2.5 GiB of zeros are a lazily mapped region the importer never touches.
TEST_F(ExternalDataTest, RefusesModelsBeyondTheProtobufLimit) {
  const size_t size = (size_t{5} << 29) + 3; // 2.5 GiB + 3
  void *region = ::mmap(nullptr, size, PROT_READ,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  auto module = hdx::importOnnx(
      llvm::StringRef(static_cast<const char *>(region), size), "big.onnx",
      &context);
  ::munmap(region, size);
  EXPECT_FALSE(module);
  EXPECT_NE(diagnostics.find("big.onnx: the model is 2684354563 bytes, more "
                             "than the 2147483647 an ONNX protobuf can hold"),
            std::string::npos)
      << diagnostics;
}

} // namespace

// RUN: hdx-opt %s -hdx-fuse-activations -mlir-print-debuginfo | FileCheck %s
// The ReLU after a residual add streams out with the add.
// CHECK-LABEL: func.func @residual
// CHECK: %[[A:.*]] = hdx.add %arg0, %arg0 {activation = #hdx<activation relu>}
// CHECK-NOT: hdx.relu
// CHECK: return %[[A]]
func.func @residual(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = hdx.add %x, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %r = hdx.relu %s : tensor<1x2x4x4xf32>
  return %r : tensor<1x2x4x4xf32>
}

// CHECK-LABEL: func.func @fuse
func.func @fuse(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>, %fw: tensor<3x32xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x3xf32>, tensor<1x2x4x4xf32>) {
  // CHECK: %[[C:.*]] = hdx.conv2d %arg0, %arg1 {activation = #hdx<activation clip>, activation_params = array<f64: 0.000000e+00, 6.000000e+00>} : {{.*}} loc(#[[FUSED:.*]])
  %c = hdx.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc("conv")
  %r = hdx.clip %c {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x2x4x4xf32> loc("relu6")
  // Only one activation fuses; the second stays a separate op.
  // CHECK: %[[HS:.*]] = hdx.hardswish %[[C]]
  %h = hdx.hardswish %r : tensor<1x2x4x4xf32>
  // CHECK: %[[F:.*]] = hdx.reshape %[[HS]]
  %f = hdx.reshape %h : tensor<1x2x4x4xf32> -> tensor<1x32xf32>
  // CHECK: %[[FC:.*]] = hdx.fc %[[F]], %arg2 {activation = #hdx<activation hardsigmoid>, activation_params = array<f64: 2.000000e-01, 5.000000e-01>}
  %fc = hdx.fc %f, %fw : (tensor<1x32xf32>, tensor<3x32xf32>) -> tensor<1x3xf32>
  %g = hdx.hardsigmoid %fc : tensor<1x3xf32>
  // A layer with a second use keeps its activation separate.
  // CHECK: %[[C2:.*]] = hdx.conv2d %arg0, %arg1 :
  // CHECK: %[[R2:.*]] = hdx.relu %[[C2]]
  // CHECK: %[[S:.*]] = hdx.add %[[R2]], %[[C2]]
  %c2 = hdx.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %r2 = hdx.relu %c2 : tensor<1x2x4x4xf32>
  %s = hdx.add %r2, %c2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // CHECK: return %[[HS]], %[[FC]], %[[S]]
  return %h, %g, %s : tensor<1x2x4x4xf32>, tensor<1x3xf32>, tensor<1x2x4x4xf32>
}
// The fused layer keeps both ONNX node names.
// CHECK-DAG: #[[CONV:loc[0-9]+]] = loc("conv")
// CHECK-DAG: #[[RELU6:loc[0-9]+]] = loc("relu6")
// CHECK: #[[FUSED]] = loc(fused[#[[CONV]], #[[RELU6]]])


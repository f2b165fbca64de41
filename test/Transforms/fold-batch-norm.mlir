// RUN: hdx-opt %s -hdx-fold-batch-norm -split-input-file | FileCheck %s

// s = scale / sqrt(var + eps) = [2 / sqrt(4), 3 / sqrt(9)] = [1, 1] would hide
// mistakes, so the numbers differ per channel:
//   s = [2 / sqrt(3 + 1), 6 / sqrt(8 + 1)] = [1, 2]
//   W' = W * s per output channel, b' = (b - mean) * s + bias
// CHECK-LABEL: func.func @conv_bn
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}2.000000e+00]]], {{\[\[\[}}6.000000e+00]], {{\[\[}}8.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[4.000000e+00, 1.000000e+01]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = hdx.conv2d %arg0, %[[W]], %[[B]] : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: hdx.batch_norm
// CHECK: return %[[Y]]
func.func @conv_bn(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %b = arith.constant dense<[5.0, 6.0]> : tensor<2xf32>
  %scale = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %bias = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %mean = arith.constant dense<[2.0, 2.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = hdx.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %y = hdx.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Without a bias the layer gains one: b' = (0 - mean) * s + bias.
// CHECK-LABEL: func.func @fc_bn_no_bias
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[-3.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK: hdx.fc %arg0, %{{.*}}, %[[B]] : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
func.func @fc_bn_no_bias(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x3xf32>
  %one = arith.constant dense<1.0> : tensor<2xf32>
  %zero = arith.constant dense<0.0> : tensor<2xf32>
  %mean = arith.constant dense<[3.0, 2.0]> : tensor<2xf32>
  %c = hdx.fc %x, %w : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  %y = hdx.batch_norm %c, %one, %zero, %mean, %one {epsilon = 0.0 : f64} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A convolution with a second use cannot absorb the normalization: it
// becomes a per-channel multiply-add.
// CHECK-LABEL: func.func @shared_conv
// CHECK-DAG: %[[S:.*]] = arith.constant dense<{{\[\[\[\[}}5.000000e-01]], {{\[\[}}2.500000e-01]]]]> : tensor<1x2x1x1xf32>
// CHECK-DAG: %[[T:.*]] = arith.constant dense<{{\[\[\[\[}}-5.000000e-01]], {{\[\[}}-2.500000e-01]]]]> : tensor<1x2x1x1xf32>
// CHECK: %[[C:.*]] = hdx.conv2d
// CHECK: %[[M:.*]] = hdx.mul %[[C]], %[[S]] : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
// CHECK: %[[A:.*]] = hdx.add %[[M]], %[[T]]
// CHECK: return %[[A]], %[[C]]
func.func @shared_conv(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %one = arith.constant dense<1.0> : tensor<2xf32>
  %zero = arith.constant dense<0.0> : tensor<2xf32>
  %var = arith.constant dense<[4.0, 16.0]> : tensor<2xf32>
  %c = hdx.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = hdx.batch_norm %c, %one, %zero, %one, %var {epsilon = 0.0 : f64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y, %c : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// The folded convolution keeps its window attributes.
// CHECK-LABEL: func.func @strided
// CHECK: hdx.conv2d %arg0, %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, groups = 2 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 2, 2>}
func.func @strided(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<1.0> : tensor<2x1x3x3xf32>
  %one = arith.constant dense<1.0> : tensor<2xf32>
  %c = hdx.conv2d %x, %w {groups = 2, strides = array<i64: 2, 2>, pads = array<i64: 2, 2, 2, 2>, dilations = array<i64: 2, 2>} : (tensor<1x2x8x8xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x4x4xf32>
  %y = hdx.batch_norm %c, %one, %one, %one, %one : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

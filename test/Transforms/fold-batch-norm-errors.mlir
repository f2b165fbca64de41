// RUN: hdx-opt %s -hdx-fold-batch-norm -verify-diagnostics

func.func @runtime_parameters(%x: tensor<1x2x4x4xf32>, %s: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{batch normalization parameters must be constants}}
  %y = hdx.batch_norm %x, %s, %s, %s, %s : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

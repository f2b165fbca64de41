// RUN: hdx-opt %s -split-input-file -verify-diagnostics
// Shape and attribute checks of the network operations.

func.func @conv_output_shape(%x: tensor<1x16x56x56xf32>, %w: tensor<32x16x3x3xf32>) {
  // expected-error @+1 {{'hdx.conv2d' op expects output shape [1, 32, 54, 54], got [1, 32, 56, 56]}}
  %0 = hdx.conv2d %x, %w : (tensor<1x16x56x56xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x56x56xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<1x16x8x8xf32>, %w: tensor<32x16x1x1xf32>) {
  // expected-error @+1 {{groups (3) must divide input channels (16) and output channels (32)}}
  %0 = hdx.conv2d %x, %w {groups = 3} : (tensor<1x16x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @conv_depthwise_weight(%x: tensor<1x16x8x8xf32>, %w: tensor<16x16x3x3xf32>) {
  // expected-error @+1 {{expects weight dimension 1 to be input channels / groups = 1, got 16}}
  %0 = hdx.conv2d %x, %w {groups = 16, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x16x8x8xf32>, %w: tensor<32x16x1x1xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{expects bias of size 32, got 16}}
  %0 = hdx.conv2d %x, %w, %b : (tensor<1x16x8x8xf32>, tensor<32x16x1x1xf32>, tensor<16xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<16x8x8xf32>, %w: tensor<32x16x1x1xf32>) {
  // expected-error @+1 {{expects input of rank 4, got rank 3}}
  %0 = hdx.conv2d %x, %w : (tensor<16x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<1x16x8x8xf32>, %w: tensor<32x16x1x1xf32>) {
  // expected-error @+1 {{attribute 'strides' failed to satisfy constraint}}
  %0 = hdx.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x16x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @conv_dynamic(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x1x1xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor}}
  %0 = hdx.conv2d %x, %w : (tensor<?x16x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @conv_mixed_types(%x: tensor<1x16x8x8xf32>, %w: tensor<32x16x1x1xi8>) {
  // expected-error @+1 {{mixes element types 'f32' and 'i8'}}
  %0 = hdx.conv2d %x, %w : (tensor<1x16x8x8xf32>, tensor<32x16x1x1xi8>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @conv_activation_params(%x: tensor<1x16x8x8xf32>, %w: tensor<32x16x1x1xf32>) {
  // expected-error @+1 {{activation 'clip' takes 2 activation_params, got 0}}
  %0 = hdx.conv2d %x, %w {activation = #hdx<activation clip>} : (tensor<1x16x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @conv_mapping_coverage(%x: tensor<1x16x8x8xf32>, %w: tensor<32x16x1x1xf32>) {
  // expected-error @+1 {{mapping covers 16 of K = 32}}
  %0 = hdx.conv2d %x, %w {mapping = #hdx.mapping<dram = [1, 1, 1, 1, 1, 1, 1], glb = [1, 1, 1, 1, 1, 8, 8], rf = [1, 1, 1, 1, 1, 1, 1], rows = [1, 1, 16, 1, 1, 1, 1], cols = [1, 16, 1, 1, 1, 1, 1], dram_order = "NKCRSPQ", glb_order = "NKCRSPQ", rf_order = "NKCRSPQ">} : (tensor<1x16x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

// expected-error @+1 {{dram_order must be a permutation of "NKCRSPQ", got "NKCRSPP"}}
func.func private @f() attributes {m = #hdx.mapping<dram = [1, 1, 1, 1, 1, 1, 1], glb = [1, 1, 1, 1, 1, 1, 1], rf = [1, 1, 1, 1, 1, 1, 1], rows = [1, 1, 1, 1, 1, 1, 1], cols = [1, 1, 1, 1, 1, 1, 1], dram_order = "NKCRSPP", glb_order = "NKCRSPQ", rf_order = "NKCRSPQ">}

// -----

// expected-error @+1 {{glb must have 7 factors (N, K, C, R, S, P, Q), got 3}}
func.func private @f() attributes {m = #hdx.mapping<dram = [1, 1, 1, 1, 1, 1, 1], glb = [1, 1, 1], rf = [1, 1, 1, 1, 1, 1, 1], rows = [1, 1, 1, 1, 1, 1, 1], cols = [1, 1, 1, 1, 1, 1, 1], dram_order = "NKCRSPQ", glb_order = "NKCRSPQ", rf_order = "NKCRSPQ">}

// -----

// expected-error @+1 {{rows factor of C must be at least 1, got 0}}
func.func private @f() attributes {m = #hdx.mapping<dram = [1, 1, 1, 1, 1, 1, 1], glb = [1, 1, 1, 1, 1, 1, 1], rf = [1, 1, 1, 1, 1, 1, 1], rows = [1, 1, 0, 1, 1, 1, 1], cols = [1, 1, 1, 1, 1, 1, 1], dram_order = "NKCRSPQ", glb_order = "NKCRSPQ", rf_order = "NKCRSPQ">}

// -----

// expected-error @+1 {{utilization must be in [0, 1], got 1.5}}
func.func private @f() attributes {c = #hdx.cost<macs = 1, cycles = 1, latency_ms = 0.1, energy_mj = 0.1, utilization = 1.5>}

// -----

func.func @fc(%x: tensor<1x32xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+1 {{expects weight of shape Kx32 (input features), got [10, 16]}}
  %0 = hdx.fc %x, %w : (tensor<1x32xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  return
}

// -----

func.func @matmul(%a: tensor<8x16xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+1 {{contracts 16 with 8}}
  %0 = hdx.matmul %a, %b : (tensor<8x16xf32>, tensor<8x4xf32>) -> tensor<8x4xf32>
  return
}

// -----

func.func @pool(%x: tensor<1x8x7x7xf32>) {
  // expected-error @+1 {{expects output shape [1, 8, 3, 3], got [1, 8, 4, 4]}}
  %0 = hdx.max_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x8x7x7xf32> -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @pool_pad(%x: tensor<1x8x7x7xf32>) {
  // expected-error @+1 {{pads must be smaller than the kernel}}
  %0 = hdx.avg_pool %x {kernel = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>} : tensor<1x8x7x7xf32> -> tensor<1x8x8x6xf32>
  return
}

// -----

func.func @max_pool_count_pad(%x: tensor<1x8x8x8xf32>) {
  // expected-error @+1 {{count_include_pad has no meaning for max pooling}}
  %0 = hdx.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, count_include_pad = true} : tensor<1x8x8x8xf32> -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @gap(%x: tensor<1x8x7x7xf32>) {
  // expected-error @+1 {{expects output shape [1, 8, 1, 1], got [1, 8]}}
  %0 = hdx.global_avg_pool %x : tensor<1x8x7x7xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @broadcast(%a: tensor<1x8x7x7xf32>, %b: tensor<1x4x1x1xf32>) {
  // expected-error @+1 {{cannot broadcast [1, 8, 7, 7] with [1, 4, 1, 1]}}
  %0 = hdx.add %a, %b : (tensor<1x8x7x7xf32>, tensor<1x4x1x1xf32>) -> tensor<1x8x7x7xf32>
  return
}

// -----

func.func @clip(%a: tensor<4xf32>) {
  // expected-error @+1 {{min must not exceed max}}
  %0 = hdx.clip %a {min = 6.0 : f64, max = 0.0 : f64} : tensor<4xf32>
  return
}

// -----

func.func @batch_norm(%x: tensor<1x4x5x5xf32>, %s: tensor<3xf32>) {
  // expected-error @+1 {{expects scale, bias, mean and var of shape [4]}}
  %0 = hdx.batch_norm %x, %s, %s, %s, %s : (tensor<1x4x5x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x5x5xf32>
  return
}

// -----

func.func @concat(%a: tensor<1x8x7x7xf32>, %b: tensor<1x8x6x7xf32>) {
  // expected-error @+1 {{inputs differ in dimension 2 outside the concatenation axis}}
  %0 = hdx.concat %a, %b {axis = 1} : (tensor<1x8x7x7xf32>, tensor<1x8x6x7xf32>) -> tensor<1x16x7x7xf32>
  return
}

// -----

func.func @reshape(%a: tensor<1x8x7x7xf32>) {
  // expected-error @+1 {{changes the element count from 392 to 400}}
  %0 = hdx.reshape %a : tensor<1x8x7x7xf32> -> tensor<1x400xf32>
  return
}

// -----

func.func @transpose(%a: tensor<1x8x7x7xf32>) {
  // expected-error @+1 {{perm is not a permutation}}
  %0 = hdx.transpose %a {perm = array<i64: 0, 1, 1, 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x8x7xf32>
  return
}

// -----

func.func @slice(%a: tensor<1x8x7x7xf32>) {
  // expected-error @+1 {{range [6, 10) exceeds dimension 1 of size 8}}
  %0 = hdx.slice %a {axis = 1, start = 6} : tensor<1x8x7x7xf32> -> tensor<1x4x7x7xf32>
  return
}

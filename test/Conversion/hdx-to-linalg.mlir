// RUN: hdx-opt %s --convert-hdx-to-linalg -split-input-file | FileCheck %s
// RUN: hdx-opt %s --convert-hdx-to-linalg="tile=false" -split-input-file | FileCheck %s --check-prefix=UNTILED

// A 3x3 convolution (K=16, C=8, P=Q=7, pad 1) with a ws-style mapping:
//   K = dram 2 x cols 8, C = rows 4 x rf 2, R = rf 3, S = rf 3,
//   P = glb 4 x rf 2 (covers 8 > 7: the last tile is partial), Q = dram 7.
// Each level's loops step by the tile below it and run to the bound.
// CHECK-LABEL: func.func @mapped_conv
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.broadcast
// DRAM, in dram_order NKCRSPQ: K by glb*spatial*rf = 8, then Q by 1.
// CHECK: scf.for %{{.*}} = %c0{{[_0-9]*}} to %c16{{[_0-9]*}} step %c8{{[_0-9]*}} iter_args
// CHECK: scf.for %{{.*}} = %c0{{[_0-9]*}} to %c7{{[_0-9]*}} step %c1{{[_0-9]*}} iter_args
// GLB: P by spatial*rf = 2 over 7.
// CHECK: scf.for %{{.*}} = %c0{{[_0-9]*}} to %c7{{[_0-9]*}} step %c2{{[_0-9]*}} iter_args
// Spatial: K over the 8 PE columns in parallel; C over the 4 rows, 2 per PE
// (a reduction across PEs, so a sequential loop).
// CHECK: scf.forall (%{{.*}}) in (8)
// CHECK: scf.for %{{.*}} = %c0{{[_0-9]*}} to %c8{{[_0-9]*}} step %c2{{[_0-9]*}} iter_args
// RF, in rf_order NKCPQRS: C (2), P (the partial tile's rows), R, S; one MAC
// per iteration.
// CHECK: scf.for %{{.*}} = %c0{{[_0-9]*}} to %c2{{[_0-9]*}} step %c1{{[_0-9]*}} iter_args
// CHECK: scf.for %{{.*}} = %c0{{[_0-9]*}} to %{{[0-9]+}} step %c1{{[_0-9]*}} iter_args
// CHECK: scf.for %{{.*}} = %c0{{[_0-9]*}} to %c3{{[_0-9]*}} step %c1{{[_0-9]*}} iter_args
// CHECK: scf.for %{{.*}} = %c0{{[_0-9]*}} to %c3{{[_0-9]*}} step %c1{{[_0-9]*}} iter_args
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} outs(%{{.*}} : tensor<1x1x1x1xf32>)
// CHECK-COUNT-4: } {hdx.level = "rf"}
// CHECK: } {hdx.level = "spatial"}
// CHECK: } {hdx.level = "spatial"}
// CHECK: } {hdx.level = "glb"}
// CHECK: } {hdx.level = "dram"}
// CHECK: } {hdx.level = "dram"}
// The fused ReLU follows the layer.
// CHECK: linalg.generic
// CHECK: arith.maximumf
// UNTILED-LABEL: func.func @mapped_conv
// UNTILED-NOT: scf.for
// UNTILED: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<1x16x7x7xf32>
// UNTILED-NOT: scf.for
hdx.accelerator @edge <pe_rows = 4, pe_cols = 8, dataflow = ws, rf_bytes = 64, glb_kib = 64, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>
func.func @mapped_conv(%x: tensor<1x8x7x7xf32>) -> tensor<1x16x7x7xf32> {
  %w = arith.constant dense<0.5> : tensor<16x8x3x3xf32>
  %b = arith.constant dense<0.25> : tensor<16xf32>
  %0 = hdx.conv2d %x, %w, %b {activation = #hdx<activation relu>, pads = array<i64: 1, 1, 1, 1>, mapping = #hdx.mapping<dram = [1, 2, 1, 1, 1, 1, 7], glb = [1, 1, 1, 1, 1, 4, 1], rf = [1, 1, 2, 3, 3, 2, 1], rows = [1, 1, 4, 1, 1, 1, 1], cols = [1, 8, 1, 1, 1, 1, 1], dram_order = "NKCRSPQ", glb_order = "NKCRSPQ", rf_order = "NKCPQRS">} : (tensor<1x8x7x7xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x7x7xf32>
  return %0 : tensor<1x16x7x7xf32>
}
// The accelerator declaration is gone.
// CHECK-NOT: hdx.accelerator

// -----

// Depthwise (groups = C = K) becomes linalg's depthwise convolution on the
// K x R x S filter; a grouped convolution with several channels per group
// runs one convolution per group, as the cost model charges it.
// CHECK-LABEL: func.func @grouped
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<8x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-COUNT-2: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<1x4x4x4xf32>
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @grouped(%x: tensor<1x8x8x8xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %dw = arith.constant dense<1.0> : tensor<8x1x3x3xf32>
  %gw = arith.constant dense<1.0> : tensor<8x4x3x3xf32>
  %0 = hdx.conv2d %x, %dw {groups = 8, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32>
  %1 = hdx.conv2d %x, %gw {groups = 2, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x4x4xf32>
  return %0, %1 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// -----

// Fully connected: matmul with the K x C weight transposed, the bias as its
// initial value; a mapping with N = 1 tiles only K and C.
// CHECK-LABEL: func.func @fc
// CHECK: linalg.broadcast ins(%{{.*}} : tensor<10xf32>) outs(%{{.*}} : tensor<1x10xf32>) dimensions = [0]
// CHECK: scf.for %{{.*}} = %c0{{[_0-9]*}} to %c10{{[_0-9]*}} step %c5{{[_0-9]*}} iter_args
// CHECK: linalg.matmul_transpose_b
func.func @fc(%x: tensor<1x16xf32>) -> tensor<1x10xf32> {
  %w = arith.constant dense<0.5> : tensor<10x16xf32>
  %b = arith.constant dense<1.0> : tensor<10xf32>
  %0 = hdx.fc %x, %w, %b {mapping = #hdx.mapping<dram = [1, 2, 1, 1, 1, 1, 1], glb = [1, 5, 1, 1, 1, 1, 1], rf = [1, 1, 16, 1, 1, 1, 1], rows = [1, 1, 1, 1, 1, 1, 1], cols = [1, 1, 1, 1, 1, 1, 1], dram_order = "NKCRSPQ", glb_order = "NKCRSPQ", rf_order = "NKCRSPQ">} : (tensor<1x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %0 : tensor<1x10xf32>
}

// -----

// Max pooling pads with -inf; ceil_mode adds the rows and columns the last
// window needs (input 6, kernel 3, stride 2: 3 outputs need 7).
// Average pooling multiplies the window sums by 1 / count, where count
// excludes the padding: a 3x3 window, stride 2, pad 1 over 4 rows covers
// rows -1..1 (2 real) for the first output and 1..3 (3 real) for the
// second, so the counts are 2x2, 2x3, 3x2 and 3x3.
// CHECK-LABEL: func.func @pools
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEG]]
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: linalg.pooling_nchw_sum
// CHECK: arith.constant dense<{{\[}}[2.500000e-01, 0.166666672], [0.166666672, 0.111111112]]> : tensor<2x2xf32>
// CHECK: arith.mulf
func.func @pools(%x: tensor<1x2x6x6xf32>, %y: tensor<1x2x4x4xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>) {
  %0 = hdx.max_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = true} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  %1 = hdx.avg_pool %y {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  return %0, %1 : tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>
}

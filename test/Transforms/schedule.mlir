// RUN: hdx-opt %s -hdx-map-layers -hdx-schedule | FileCheck %s

// 8-bit words: every 1x16x8x8 activation takes 1024 bytes and every 16x16
// weight 256 bytes. The input is freed after the first layer reads it, so
// the second layer's output reuses its space, and so on; weights are packed.
hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// CHECK-LABEL: func.func @chain
// CHECK-SAME: hdx.memory = #hdx.memory<weights_bytes = 768, activations_bytes = 2048, peak_glb_bytes = [[GLB:[0-9]+]]>
// CHECK: hdx.schedule = #hdx.schedule<order = 0, weights_offset_bytes = 0, weights_bytes = 256, output_offset_bytes = 1024, output_bytes = 1024, glb_bytes = [[GLB]]>
// CHECK: hdx.schedule = #hdx.schedule<order = 1, weights_offset_bytes = 256, weights_bytes = 256, output_offset_bytes = 0, output_bytes = 1024,
// CHECK: hdx.schedule = #hdx.schedule<order = 2, weights_offset_bytes = 512, weights_bytes = 256, output_offset_bytes = 1024, output_bytes = 1024,
func.func @chain(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w0 = arith.constant dense<0.5> : tensor<16x16x1x1xf32>
  %w1 = arith.constant dense<0.25> : tensor<16x16x1x1xf32>
  %w2 = arith.constant dense<0.125> : tensor<16x16x1x1xf32>
  %0 = hdx.conv2d %x, %w0 : (tensor<1x16x8x8xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x8x8xf32>
  %1 = hdx.conv2d %0, %w1 : (tensor<1x16x8x8xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x8x8xf32>
  %2 = hdx.conv2d %1, %w2 : (tensor<1x16x8x8xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x8x8xf32>
  return %2 : tensor<1x16x8x8xf32>
}

// A layer's weight range holds all its constant operands: 432 bytes of
// weights, padded to 448, then the 16-byte bias, so 464 bytes from offset 0.
// The second layer reuses %w and adds its own bias at 512: its range spans
// from the shared weights at 0 to the end of that bias.
// CHECK-LABEL: func.func @bias
// CHECK: hdx.schedule = #hdx.schedule<order = 0, weights_offset_bytes = 0, weights_bytes = 464,
// CHECK: hdx.schedule = #hdx.schedule<order = 1, weights_offset_bytes = 0, weights_bytes = 528,
func.func @bias(%x: tensor<1x3x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = arith.constant dense<0.5> : tensor<16x3x3x3xf32>
  %b = arith.constant dense<0.25> : tensor<16xf32>
  %b2 = arith.constant dense<0.125> : tensor<16xf32>
  %0 = hdx.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  %1 = hdx.conv2d %x, %w, %b2 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  %2 = hdx.add %0, %1 : (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  return %2 : tensor<1x16x8x8xf32>
}

// RUN: hdx-opt %s -hdx-map-layers -hdx-estimate-cost | FileCheck %s

// A grouped convolution with several output channels per group (ResNeXt,
// ShuffleNet): the groups run one after another, so the mapping covers one
// group's K/groups = 8 output channels and C/groups = 16 input channels,
// and the MACs count all groups: 1*32*16*1*1*8*8.
hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// CHECK-LABEL: func.func @grouped
// CHECK: hdx.conv2d {{.*}}cost = #hdx.cost<macs = 32768, {{.*}}groups = 4 : i64, {{.*}}mapping = #hdx.mapping<
func.func @grouped(%x: tensor<1x64x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %w = arith.constant dense<0.5> : tensor<32x16x1x1xf32>
  %0 = hdx.conv2d %x, %w {groups = 4} : (tensor<1x64x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  return %0 : tensor<1x32x8x8xf32>
}

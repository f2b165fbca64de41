// RUN: hdx-opt %s -hdx-map-layers -hdx-estimate-cost | FileCheck %s
// RUN: hdx-opt %s -hdx-map-layers="objective=energy" -hdx-estimate-cost | FileCheck %s
// RUN: not hdx-opt %s -hdx-map-layers="objective=speed" 2>&1 | FileCheck %s --check-prefix=OBJECTIVE
// RUN: not hdx-opt %s -hdx-estimate-cost 2>&1 | FileCheck %s --check-prefix=UNMAPPED

// OBJECTIVE: error: unknown mapping objective 'speed' (expected latency, energy or edp)
// UNMAPPED: error: layer has no mapping (run --hdx-map-layers first)

hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// Every compute layer gets a mapping and a cost; memory-bound layers get a
// cost; views (reshape) get neither. MACs are exact: n*k*(c/groups)*r*s*p*q.
// CHECK-LABEL: func.func @net
// CHECK-SAME: hdx.total_cost = #hdx.cost<macs = 18848,
// CHECK: hdx.conv2d {{.*}}cost = #hdx.cost<macs = 16384, {{.*}}mapping = #hdx.mapping<
// CHECK: hdx.conv2d {{.*}}cost = #hdx.cost<macs = 2304, {{.*}}groups = 16 : i64, {{.*}}mapping = #hdx.mapping<
// CHECK: hdx.add {{.*}}{cost = #hdx.cost<macs = 0,
// CHECK: hdx.global_avg_pool {{.*}}{cost = #hdx.cost<macs = 0,
// CHECK: hdx.reshape %{{.*}} : tensor
// CHECK: hdx.fc {{.*}}cost = #hdx.cost<macs = 160, {{.*}}mapping = #hdx.mapping<
func.func @net(%x: tensor<1x16x8x8xf32>) -> tensor<1x10xf32> {
  %w = arith.constant dense<0.5> : tensor<16x16x1x1xf32>
  %dw = arith.constant dense<0.5> : tensor<16x1x3x3xf32>
  %fw = arith.constant dense<0.5> : tensor<10x16xf32>
  %0 = hdx.conv2d %x, %w {activation = #hdx<activation relu>} : (tensor<1x16x8x8xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x8x8xf32>
  %1 = hdx.conv2d %0, %dw {groups = 16, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x4x4xf32>
  %2 = hdx.add %1, %1 : (tensor<1x16x4x4xf32>, tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %3 = hdx.global_avg_pool %2 : tensor<1x16x4x4xf32> -> tensor<1x16x1x1xf32>
  %4 = hdx.reshape %3 : tensor<1x16x1x1xf32> -> tensor<1x16xf32>
  %5 = hdx.fc %4, %fw : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  return %5 : tensor<1x10xf32>
}

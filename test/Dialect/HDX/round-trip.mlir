// RUN: hdx-opt %s | FileCheck %s
// RUN: hdx-opt %s | hdx-opt | FileCheck %s
// RUN: hdx-opt %s --mlir-print-op-generic | hdx-opt | FileCheck %s
// Custom form, re-parsed custom form and generic form all print the same IR.

// CHECK: module attributes {hdx.constraints = #hdx.constraints<latency_ms = 16.6, area_mm2 = 2.5>}
module attributes {hdx.constraints = #hdx.constraints<area_mm2 = 2.5, latency_ms = 16.6>} {

// CHECK: hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 8, dataflow = rs, rf_bytes = 64, glb_kib = 128, word_bits = 16, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.5, technology = "my-tech.yaml">
hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 8, dataflow = rs, rf_bytes = 64, glb_kib = 128, word_bits = 16, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.5, technology = "my-tech.yaml">
// The technology defaults to the built-in 45 nm table and is then not printed.
// CHECK: hdx.accelerator @tiny <pe_rows = 1, pe_cols = 1, dataflow = ws, rf_bytes = 3, glb_kib = 1, word_bits = 8, clock_mhz = 0.5, dram_bw_bytes_per_cycle = 0.25>
hdx.accelerator @tiny <pe_rows = 1, pe_cols = 1, dataflow = ws, rf_bytes = 3, glb_kib = 1, word_bits = 8, clock_mhz = 0.5, dram_bw_bytes_per_cycle = 0.25, technology = "45nm">

// CHECK-LABEL: func.func @layers
func.func @layers(%x: tensor<1x16x56x56xf32>, %w: tensor<32x16x3x3xf32>,
                  %b: tensor<32xf32>, %dw: tensor<32x1x3x3xf32>,
                  %fcw: tensor<10x32xf32>, %fcb: tensor<10xf32>) -> tensor<1x10xf32> {
  // CHECK: hdx.conv2d %{{.*}}, %{{.*}}, %{{.*}} {activation = #hdx<activation clip>, activation_params = array<f64: 0.000000e+00, 6.000000e+00>, cost = #hdx.cost<macs = 14450688, cycles = 56448, latency_ms = 0.28224, energy_mj = 0.0021, utilization = 1.0>, mapping = #hdx.mapping<dram = [1, 2, 1, 1, 1, 1, 1], glb = [1, 1, 1, 1, 1, 8, 8], rf = [1, 1, 1, 3, 3, 7, 7], rows = [1, 1, 16, 1, 1, 1, 1], cols = [1, 16, 1, 1, 1, 1, 1], dram_order = "NKCRSPQ", glb_order = "NKCPQRS", rf_order = "NKCPQRS">, pads = array<i64: 1, 1, 1, 1>}
  // CHECK-SAME: (tensor<1x16x56x56xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<1x32x56x56xf32>
  %0 = hdx.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         activation = #hdx<activation clip>, activation_params = array<f64: 0.0, 6.0>,
         mapping = #hdx.mapping<dram = [1, 2, 1, 1, 1, 1, 1], glb = [1, 1, 1, 1, 1, 8, 8], rf = [1, 1, 1, 3, 3, 7, 7], rows = [1, 1, 16, 1, 1, 1, 1], cols = [1, 16, 1, 1, 1, 1, 1], dram_order = "NKCRSPQ", glb_order = "NKCPQRS", rf_order = "NKCPQRS">,
         cost = #hdx.cost<macs = 14450688, cycles = 56448, latency_ms = 0.28224, energy_mj = 0.0021, utilization = 1.0>}
       : (tensor<1x16x56x56xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<1x32x56x56xf32>
  // Depthwise, strided, no bias.
  // CHECK: hdx.conv2d %{{.*}}, %{{.*}} {groups = 32 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x32x56x56xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x28x28xf32>
  %1 = hdx.conv2d %0, %dw {groups = 32, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
       : (tensor<1x32x56x56xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x28x28xf32>
  // CHECK: hdx.relu %{{.*}} : tensor<1x32x28x28xf32>
  %2 = hdx.relu %1 : tensor<1x32x28x28xf32>
  // CHECK: hdx.clip %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<1x32x28x28xf32>
  %3 = hdx.clip %2 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x32x28x28xf32>
  // CHECK: hdx.hardswish
  %4 = hdx.hardswish %3 : tensor<1x32x28x28xf32>
  // CHECK: hdx.hardsigmoid %{{.*}} : tensor<1x32x28x28xf32>
  %5 = hdx.hardsigmoid %4 : tensor<1x32x28x28xf32>
  // CHECK: hdx.sigmoid
  %6 = hdx.sigmoid %5 : tensor<1x32x28x28xf32>
  // CHECK: hdx.mul %{{.*}}, %{{.*}} : (tensor<1x32x28x28xf32>, tensor<1x32x1x1xf32>) -> tensor<1x32x28x28xf32>
  %g = hdx.global_avg_pool %6 : tensor<1x32x28x28xf32> -> tensor<1x32x1x1xf32>
  %7 = hdx.mul %6, %g : (tensor<1x32x28x28xf32>, tensor<1x32x1x1xf32>) -> tensor<1x32x28x28xf32>
  // CHECK: hdx.add
  %8 = hdx.add %7, %2 : (tensor<1x32x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x32x28x28xf32>
  // CHECK: hdx.max_pool %{{.*}} {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x32x28x28xf32> -> tensor<1x32x14x14xf32>
  %9 = hdx.max_pool %8 {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x32x28x28xf32> -> tensor<1x32x14x14xf32>
  // ceil_mode rounds the output size up: (14 - 3) / 2 + 1 = 6.5 -> 7.
  // CHECK: hdx.avg_pool %{{.*}} {ceil_mode = true, count_include_pad = true, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x32x14x14xf32> -> tensor<1x32x7x7xf32>
  %10 = hdx.avg_pool %9 {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = true, count_include_pad = true} : tensor<1x32x14x14xf32> -> tensor<1x32x7x7xf32>
  // CHECK: hdx.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x32x7x7xf32>, tensor<1x32x7x7xf32>) -> tensor<1x64x7x7xf32>
  %11 = hdx.concat %10, %10 {axis = 1} : (tensor<1x32x7x7xf32>, tensor<1x32x7x7xf32>) -> tensor<1x64x7x7xf32>
  // CHECK: hdx.slice %{{.*}} {axis = 1 : i64, start = 32 : i64} : tensor<1x64x7x7xf32> -> tensor<1x32x7x7xf32>
  %12 = hdx.slice %11 {axis = 1, start = 32} : tensor<1x64x7x7xf32> -> tensor<1x32x7x7xf32>
  // CHECK: hdx.transpose %{{.*}} {perm = array<i64: 0, 2, 3, 1>} : tensor<1x32x7x7xf32> -> tensor<1x7x7x32xf32>
  %13 = hdx.transpose %12 {perm = array<i64: 0, 2, 3, 1>} : tensor<1x32x7x7xf32> -> tensor<1x7x7x32xf32>
  %14 = hdx.global_avg_pool %12 : tensor<1x32x7x7xf32> -> tensor<1x32x1x1xf32>
  // CHECK: hdx.reshape %{{.*}} : tensor<1x32x1x1xf32> -> tensor<1x32xf32>
  %15 = hdx.reshape %14 : tensor<1x32x1x1xf32> -> tensor<1x32xf32>
  // CHECK: hdx.fc %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x32xf32>, tensor<10x32xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %16 = hdx.fc %15, %fcw, %fcb : (tensor<1x32xf32>, tensor<10x32xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %16 : tensor<1x10xf32>
}

// CHECK-LABEL: func.func @others
func.func @others(%a: tensor<2x8x16xf32>, %b: tensor<2x16x4xf32>, %x: tensor<1x4x5x5xf32>,
                  %s: tensor<4xf32>) -> (tensor<2x8x4xf32>, tensor<1x4x5x5xf32>) {
  // CHECK: hdx.matmul %{{.*}}, %{{.*}} : (tensor<2x8x16xf32>, tensor<2x16x4xf32>) -> tensor<2x8x4xf32>
  %0 = hdx.matmul %a, %b : (tensor<2x8x16xf32>, tensor<2x16x4xf32>) -> tensor<2x8x4xf32>
  // CHECK: hdx.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f64}
  %1 = hdx.batch_norm %x, %s, %s, %s, %s {epsilon = 1.0e-3 : f64} : (tensor<1x4x5x5xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  return %0, %1 : tensor<2x8x4xf32>, tensor<1x4x5x5xf32>
}
}

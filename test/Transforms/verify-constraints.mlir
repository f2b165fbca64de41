// RUN: not hdx-opt %s -hdx-verify-constraints -o /dev/null 2>&1 | FileCheck %s
// RUN: hdx-opt %s -hdx-verify-constraints="latency-ms=2.0" 2>&1 | FileCheck %s --check-prefix=OVERRIDE

// The costs are given, so this tests only the verdicts: a violated limit
// names the value, the limit and the costliest layers (by their ONNX node
// names), each with a note at its location; a met limit is a remark.
// CHECK: error: latency_ms = 1 exceeds the limit 0.5 by 0.5 ms (100%); the layers that cost most: 'conv_big' 0.7 ms (70%), 'conv_mid' 0.2 ms (20%), 'fc' 0.1 ms (10%)
// CHECK: loc("conv_big"): costs 0.7 ms
// CHECK: loc("conv_mid"): costs 0.2 ms
// CHECK: loc("fc"): costs 0.1 ms
// CHECK: remark: energy_mj = 0.6 meets the limit 1 (slack 0.4 mJ, 40%)

// The option replaces the module's limit and is recorded on the module.
// OVERRIDE: remark: latency_ms = 1 meets the limit 2 (slack 1 ms, 50%)
// OVERRIDE: module attributes {hdx.constraints = #hdx.constraints<latency_ms = 2.0, energy_mj = 1.0>}
module attributes {hdx.constraints = #hdx.constraints<latency_ms = 0.5, energy_mj = 1.0>} {
  hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>
  func.func @net(%x: tensor<1x4xf32>, %w: tensor<4x4xf32>) -> tensor<1x4xf32> attributes {hdx.total_cost = #hdx.cost<macs = 48, cycles = 200, latency_ms = 1.0, energy_mj = 0.6, utilization = 0.1>} {
    %0 = hdx.fc %x, %w {cost = #hdx.cost<macs = 16, cycles = 40, latency_ms = 0.2, energy_mj = 0.2, utilization = 0.1>} : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32> loc("conv_mid")
    %1 = hdx.fc %0, %w {cost = #hdx.cost<macs = 16, cycles = 140, latency_ms = 0.7, energy_mj = 0.2, utilization = 0.1>} : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32> loc("conv_big")
    %2 = hdx.fc %1, %w {cost = #hdx.cost<macs = 16, cycles = 20, latency_ms = 0.1, energy_mj = 0.2, utilization = 0.1>} : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32> loc("fc")
    return %2 : tensor<1x4xf32>
  }
}

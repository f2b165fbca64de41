// RUN: hdx-opt %s -split-input-file -verify-diagnostics -hdx-verify-constraints

module attributes {hdx.constraints = #hdx.constraints<area_mm2 = 0.5>} {
  // expected-error @+1 {{area_mm2 = 1.035 exceeds the limit 0.5 by 0.5349 mm2 (107%): PEs 0.2177, register files 0.2621, global buffer 0.5243, NoC 0.03072 mm2}}
  hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>
  func.func @net() attributes {hdx.total_cost = #hdx.cost<macs = 0, cycles = 0, latency_ms = 0.0, energy_mj = 0.0, utilization = 0.0>} {
    return
  }
}

// -----

module attributes {hdx.constraints = #hdx.constraints<latency_ms = 0.5>} {
  hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>
  // expected-error @+1 {{no estimated cost (run --hdx-estimate-cost first)}}
  func.func @net() {
    return
  }
}

// -----

// expected-error @+1 {{the module declares 2 accelerators; exactly one is needed}}
module attributes {hdx.constraints = #hdx.constraints<latency_ms = 0.5>} {
  // expected-note @+1 {{accelerator @a}}
  hdx.accelerator @a <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>
  // expected-note @+1 {{accelerator @b}}
  hdx.accelerator @b <pe_rows = 8, pe_cols = 8, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>
}

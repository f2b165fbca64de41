// RUN: hdx-opt %s -split-input-file -verify-diagnostics
// An invalid accelerator is rejected where it is written.

// expected-error @+1 {{accelerator.pe_rows: must be between 1 and 4096 (got 0)}}
hdx.accelerator @a <pe_rows = 0, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// -----

// expected-error @+1 {{accelerator.pe_cols: must be between 1 and 4096 (got -4)}}
hdx.accelerator @a <pe_rows = 16, pe_cols = -4, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// -----

// expected-error @+2 {{expected ::hdx::Dataflow to be one of: ws, os, rs}}
// expected-error @+1 {{failed to parse HDX_AcceleratorAttr parameter 'dataflow'}}
hdx.accelerator @a <pe_rows = 16, pe_cols = 16, dataflow = xs, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// -----

// expected-error @+1 {{accelerator.rf_bytes: must be between 6 (three words) and 1048576 (got 1)}}
hdx.accelerator @a <pe_rows = 16, pe_cols = 16, dataflow = os, rf_bytes = 1, glb_kib = 128, word_bits = 16, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// -----

// expected-error @+1 {{accelerator.glb_kib: must be between 1 and}}
hdx.accelerator @a <pe_rows = 32, pe_cols = 32, dataflow = ws, rf_bytes = 64, glb_kib = 0, word_bits = 16, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// -----

// expected-error @+1 {{accelerator.word_bits: must be between 1 and 64 (got 0)}}
hdx.accelerator @a <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 0, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// -----

// expected-error @+1 {{accelerator.clock_mhz: must be between 0.001 and 1000000 (got 0)}}
hdx.accelerator @a <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 0.0, dram_bw_bytes_per_cycle = 8.0>

// -----

// expected-error @+1 {{accelerator.dram_bw_bytes_per_cycle: must be between 0.0009765625 (1/1024) and 1048576 (got -1)}}
hdx.accelerator @a <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 100.0, dram_bw_bytes_per_cycle = -1.0>

// -----

// expected-error @+1 {{struct is missing required parameter: glb_kib}}
hdx.accelerator @a <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, word_bits = 8, clock_mhz = 100.0, dram_bw_bytes_per_cycle = 8.0>

// -----

func.func @f() {
  // expected-error @+1 {{'hdx.accelerator' op expects parent op 'builtin.module'}}
  hdx.accelerator @a <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 100.0, dram_bw_bytes_per_cycle = 8.0>
  return
}

// -----

// The generic form is checked too.
// expected-error @+1 {{accelerator.pe_rows: must be between 1 and 4096 (got 0)}}
"hdx.accelerator"() <{config = #hdx.accel<pe_rows = 0, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>, sym_name = "a"}> : () -> ()

// -----

// expected-error @+1 {{latency_ms limit must be positive, got -16.6}}
module attributes {hdx.constraints = #hdx.constraints<latency_ms = -16.6>} {}

// -----

// expected-error @+1 {{'hdx.constraints' must be a #hdx.constraints attribute}}
module attributes {hdx.constraints = 16.6} {}

// -----

// expected-error @+1 {{unknown hdx attribute 'hdx.frobnicate'}}
module attributes {hdx.frobnicate = 1} {}

// RUN: hdx-translate --emit-rtl-params %s -split-input-file -verify-diagnostics

// expected-error @+1 {{cannot build RTL for accelerator @odd_bus: accelerator.dram_bw_bytes_per_cycle: the DRAM bus is a power-of-two number of bytes wide (got 12)}}
hdx.accelerator @odd_bus <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 12.0>

// -----

// expected-error @+1 {{cannot build RTL for accelerator @nibbles: accelerator.word_bits: the RTL stores whole bytes per word; must be a multiple of 8 (got 4)}}
hdx.accelerator @nibbles <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 4, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

// -----

// expected-error @+1 {{cannot build RTL for accelerator @odd_clock: accelerator.clock_mhz: the clock period must be a whole number of picoseconds (got 3003.003003003003 ps)}}
hdx.accelerator @odd_clock <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 333.0, dram_bw_bytes_per_cycle = 8.0>

// -----

// expected-error @below {{the module declares no hdx.accelerator}}
module {}

// RUN: hdx-opt %s -split-input-file -verify-diagnostics -hdx-attach-accelerator="accel=%S/Inputs/edge16.yaml"

// expected-error @below {{the module already declares accelerator @other, which differs from}}
module {
  // expected-note @+1 {{declared here}}
  hdx.accelerator @other <pe_rows = 8, pe_cols = 8, dataflow = os, rf_bytes = 64, glb_kib = 64, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>
}

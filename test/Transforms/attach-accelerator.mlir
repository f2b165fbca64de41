// RUN: hdx-opt %s -split-input-file -hdx-attach-accelerator="accel=%S/Inputs/edge16.yaml" | FileCheck %s
// RUN: not hdx-opt %s -hdx-attach-accelerator="accel=%S/Inputs/bad-key.yaml" 2>&1 | FileCheck %s --check-prefix=BADKEY
// RUN: not hdx-opt %s -split-input-file -hdx-attach-accelerator 2>&1 | FileCheck %s --check-prefix=NONE

// The YAML file becomes the module's accelerator symbol.
// CHECK: module {
// CHECK-NEXT: hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>
// BADKEY: bad-key.yaml: accelerator.pe_colums: unknown key (expected one of: name, pe_rows, pe_cols, dataflow, rf_bytes, glb_kib, word_bits, clock_mhz, dram_bw_bytes_per_cycle, technology) (line 4)
// NONE: error: the module declares no hdx.accelerator (attach one with --hdx-attach-accelerator="accel=<file.yaml>")
func.func @f() {
  return
}

// -----

// Attaching the same accelerator again changes nothing.
// CHECK: module {
// CHECK-NEXT: hdx.accelerator @edge16
// CHECK-NOT: hdx.accelerator
hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>

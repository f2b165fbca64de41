// The emitted accelerator YAML reads back into an identical accelerator.
// RUN: hdx-translate --emit-accel-config %s -o %t.yaml
// RUN: FileCheck %s --input-file=%t.yaml
// RUN: echo "" | hdx-opt -hdx-attach-accelerator="accel=%t.yaml" | FileCheck %s --check-prefix=REREAD

// CHECK: accelerator:
// CHECK-NEXT:   name: "edge16"
// CHECK-NEXT:   pe_rows: 16
// CHECK-NEXT:   pe_cols: 8
// CHECK-NEXT:   dataflow: os
// CHECK-NEXT:   rf_bytes: 48
// CHECK-NEXT:   glb_kib: 96
// CHECK-NEXT:   word_bits: 16
// CHECK-NEXT:   clock_mhz: 333.3
// CHECK-NEXT:   dram_bw_bytes_per_cycle: 4.5
// CHECK-NEXT:   technology: "45nm"

// REREAD: hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 8, dataflow = os, rf_bytes = 48, glb_kib = 96, word_bits = 16, clock_mhz = 333.3, dram_bw_bytes_per_cycle = 4.5>
hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 8, dataflow = os, rf_bytes = 48, glb_kib = 96, word_bits = 16, clock_mhz = 333.3, dram_bw_bytes_per_cycle = 4.5>

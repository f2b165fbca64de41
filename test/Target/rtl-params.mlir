// RUN: rm -rf %t && mkdir -p %t
// RUN: hdx-translate --emit-rtl-params %s -o %t/hdx_eyeriss_like_pkg.sv
// RUN: FileCheck %s --input-file=%t/hdx_eyeriss_like_pkg.sv
// RUN: %if verilator %{ verilator --lint-only -Wall %t/hdx_eyeriss_like_pkg.sv %S/Inputs/pe_array_top.sv --top-module pe_array_top %}
// RUN: hdx-translate --emit-rtl-header %s -o %t/params.h
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/params.h
// RUN: %cc -fsyntax-only -Wall -Werror -include %t/params.h %S/Inputs/check-header.c

// Derived values: 12x14 = 168 PEs; 512 B / 2 B = 256 RF words (8 address
// bits); 108 KiB / 2 B = 55296 GLB words (16 address bits); 1e6 / 250 MHz =
// 4000 ps; partial sums 2 * 16 + ceil(log2 12) = 36 bits.
// CHECK: package hdx_eyeriss_like_pkg;
// CHECK-NEXT: localparam int unsigned PE_ROWS = 12;
// CHECK-NEXT: localparam int unsigned PE_COLS = 14;
// CHECK-NEXT: localparam int unsigned NUM_PES = 168;
// CHECK-NEXT: localparam int unsigned WORD_BITS = 16;
// CHECK-NEXT: localparam int unsigned PSUM_BITS = 36;
// CHECK-NEXT: localparam int unsigned RF_BYTES = 512;
// CHECK-NEXT: localparam int unsigned RF_DEPTH_WORDS = 256;
// CHECK-NEXT: localparam int unsigned RF_ADDR_BITS = 8;
// CHECK-NEXT: localparam int unsigned GLB_BYTES = 110592;
// CHECK-NEXT: localparam int unsigned GLB_DEPTH_WORDS = 55296;
// CHECK-NEXT: localparam int unsigned GLB_ADDR_BITS = 16;
// CHECK-NEXT: localparam int unsigned DRAM_BUS_BYTES = 16;
// CHECK-NEXT: localparam int unsigned DATAFLOW = 2;
// CHECK-NEXT: localparam int unsigned CLOCK_PERIOD_PS = 4000;
// CHECK-NEXT: localparam string DATAFLOW_NAME = "rs";
// CHECK-NEXT: endpackage : hdx_eyeriss_like_pkg

// HEADER: #ifndef HDX_EYERISS_LIKE_H
// HEADER: #define HDX_NUM_PES 168u
// HEADER: #define HDX_GLB_ADDR_BITS 16u
// HEADER: #define HDX_DATAFLOW_NAME "rs"
hdx.accelerator @eyeriss.like <pe_rows = 12, pe_cols = 14, dataflow = rs, rf_bytes = 512, glb_kib = 108, word_bits = 16, clock_mhz = 250.0, dram_bw_bytes_per_cycle = 16.0>

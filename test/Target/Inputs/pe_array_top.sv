// A top module that uses every parameter of the emitted package, so that a
// linter elaborates all of them.
module pe_array_top
  import hdx_eyeriss_like_pkg::*;
(
  input  logic [WORD_BITS-1:0]     weight,
  input  logic [GLB_ADDR_BITS-1:0] glb_addr,
  input  logic [RF_ADDR_BITS-1:0]  rf_addr,
  output logic [PSUM_BITS-1:0]     psum
);
  localparam int unsigned IS_RS = (DATAFLOW_NAME == "rs") ? 1 : 0;
  localparam int unsigned SUM = NUM_PES * DATAFLOW + DRAM_BUS_BYTES +
      CLOCK_PERIOD_PS + PE_ROWS + PE_COLS + RF_BYTES + GLB_BYTES +
      GLB_DEPTH_WORDS + IS_RS;
  logic [WORD_BITS-1:0] rf [RF_DEPTH_WORDS];
  always_comb rf[rf_addr] = weight;
  assign psum = PSUM_BITS'(rf[rf_addr]) + PSUM_BITS'(glb_addr) + PSUM_BITS'(SUM);
endmodule

/* Compiled with the emitted header force-included: the driver sees the same
   numbers as the RTL package. */
_Static_assert(HDX_NUM_PES == HDX_PE_ROWS * HDX_PE_COLS, "array size");
_Static_assert((1u << HDX_GLB_ADDR_BITS) >= HDX_GLB_DEPTH_WORDS, "GLB address");
_Static_assert((1u << (HDX_GLB_ADDR_BITS - 1)) < HDX_GLB_DEPTH_WORDS, "GLB address is minimal");
_Static_assert(HDX_RF_DEPTH_WORDS * HDX_WORD_BITS == HDX_RF_BYTES * 8u, "RF depth");
_Static_assert(HDX_DATAFLOW == 2u, "row stationary");
int main(void) { return 0; }

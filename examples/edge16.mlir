// A 16x16 weight-stationary edge accelerator and an inverted-residual block
// (MobileNetV2's expand 1x1 -> depthwise 3x3 -> project 1x1, with a residual
// add) under a 60 fps latency limit and an area budget.
module attributes {hdx.constraints = #hdx.constraints<latency_ms = 16.6, area_mm2 = 4.0>} {
  hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws,
      rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0,
      dram_bw_bytes_per_cycle = 8.0>

  func.func @block(%x: tensor<1x24x56x56xf32>, %we: tensor<144x24x1x1xf32>,
                   %wd: tensor<144x1x3x3xf32>, %wp: tensor<24x144x1x1xf32>)
      -> tensor<1x24x56x56xf32> {
    %e = hdx.conv2d %x, %we {activation = #hdx<activation clip>,
                             activation_params = array<f64: 0.0, 6.0>}
        : (tensor<1x24x56x56xf32>, tensor<144x24x1x1xf32>) -> tensor<1x144x56x56xf32>
    %d = hdx.conv2d %e, %wd {groups = 144, pads = array<i64: 1, 1, 1, 1>,
                             activation = #hdx<activation clip>,
                             activation_params = array<f64: 0.0, 6.0>}
        : (tensor<1x144x56x56xf32>, tensor<144x1x3x3xf32>) -> tensor<1x144x56x56xf32>
    %p = hdx.conv2d %d, %wp
        : (tensor<1x144x56x56xf32>, tensor<24x144x1x1xf32>) -> tensor<1x24x56x56xf32>
    %y = hdx.add %p, %x
        : (tensor<1x24x56x56xf32>, tensor<1x24x56x56xf32>) -> tensor<1x24x56x56xf32>
    return %y : tensor<1x24x56x56xf32>
  }
}

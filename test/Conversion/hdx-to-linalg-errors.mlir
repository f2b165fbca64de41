// RUN: hdx-opt %s --convert-hdx-to-linalg -split-input-file -verify-diagnostics

func.func @integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{lowering supports f32 tensors only, got 'tensor<4xi32>'}}
  %0 = hdx.relu %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @not_a_loop() {
  // expected-error @+1 {{'hdx.level' may only be attached to a loop}}
  %0 = arith.constant {hdx.level = "rf"} 0 : index
  return
}

// -----

func.func @bad_level(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'hdx.level' must be a string (dram, glb, spatial or rf) attribute}}
  scf.for %i = %c0 to %n step %c1 {
  } {hdx.level = "l2"}
  return
}

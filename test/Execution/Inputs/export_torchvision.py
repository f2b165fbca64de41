#!/usr/bin/env python3
"""Exports torchvision CNNs to ONNX with PyTorch's own exporter, with
PyTorch's outputs as the reference.

  export_torchvision.py OUT_DIR SIZE MODEL [MODEL ...]

For each MODEL (a torchvision.models constructor, e.g. mobilenet_v2, or
`odd_sizes`, a small CNN whose sizes divide no array side: 14 channels,
112 x 112 then 7 x 7 feature maps, 1001 classes) writes
OUT_DIR/MODEL/model.onnx and OUT_DIR/MODEL/test_data_set_0/{input_0,
output_0}.pb, the layout of ONNX's test data: weights=None with seed 0 (no
download), evaluation mode, one seeded 1x3xSIZExSIZE input, opset 13.

Before export, the batch normalizations' running statistics are set from
two seeded random batches (train mode, cumulative average) so that every
layer sees activations of unit scale: with the initial statistics (mean 0,
variance 1) some networks' outputs vanish (MobileNetV3-Small's logits are
about 1e-12), which would make the comparison meaningless.
"""
import os
import sys

import numpy as np
import torch
import torchvision
from onnx import numpy_helper


def odd_sizes():
    """3 x SIZE x SIZE -> 14 x 112 x 112 -> ... -> 7 x 7 x 7 -> 1001."""
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(3, 14, 3, stride=2, padding=1), nn.BatchNorm2d(14), nn.ReLU(),
        nn.Conv2d(14, 14, 3, stride=2, padding=1, groups=14),
        nn.BatchNorm2d(14), nn.ReLU6(),
        nn.Conv2d(14, 7, 1), nn.BatchNorm2d(7), nn.ReLU(),
        nn.AdaptiveAvgPool2d(7), nn.Flatten(), nn.Linear(7 * 7 * 7, 1001))


def export(out_dir, size, name):
    torch.manual_seed(0)
    if name == "odd_sizes":
        model = odd_sizes()
    else:
        model = getattr(torchvision.models, name)(weights=None)
    generator = torch.Generator().manual_seed(1)
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(torch.randn(4, 3, size, size, generator=generator))
    model.eval()
    x = torch.randn(1, 3, size, size, generator=generator)
    with torch.no_grad():
        y = model(x)
    folder = os.path.join(out_dir, name)
    data = os.path.join(folder, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    torch.onnx.export(model, x, os.path.join(folder, "model.onnx"),
                      opset_version=13, input_names=["input"],
                      output_names=["logits"], do_constant_folding=True)
    for file, tensor, tensor_name in (("input_0.pb", x, "input"),
                                      ("output_0.pb", y, "logits")):
        proto = numpy_helper.from_array(tensor.numpy().astype(np.float32),
                                        tensor_name)
        with open(os.path.join(data, file), "wb") as f:
            f.write(proto.SerializeToString())


def main():
    out_dir, size = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(1)
    for name in sys.argv[3:]:
        export(out_dir, size, name)
        print(f"exported {name}")


if __name__ == "__main__":
    main()

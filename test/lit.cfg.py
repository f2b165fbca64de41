# -*- Python -*-
import os
import sys

import lit.formats
from lit.llvm import llvm_config

config.name = "HDX"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".onnxtxt"]
config.excludes = ["unit", "Inputs", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hdx_obj_root, "test")

config.substitutions.append(("%hdx_src_root", config.hdx_src_root))
config.substitutions.append(("%hdx_tools_dir", config.hdx_tools_dir))
config.substitutions.append(("%python", sys.executable))
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.hdx_tools_dir, append_path=True)

tools = ["hdx-opt", "hdx-run", "hdx-map", "hdx-translate", "hdx-zoo", "hdx-search", "hdx-codesign",
         "hdx-search-sweep"]
llvm_config.add_tool_substitutions(
    [t for t in tools if os.path.exists(os.path.join(config.hdx_tools_dir, t))],
    [config.hdx_tools_dir])

# Tests that need Debian's ONNX test data, python3-onnx or Verilator are skipped (UNSUPPORTED)
# where they are missing, except under CI=true: there a missing dependency
# is an error, so a broken install cannot turn those checks into skips.
import shutil
required_in_ci = os.environ.get("CI", "").lower() == "true"
# Debian's Python, whose python3-onnx, python3-numpy and python3-torch the
# numerical tests use (the `python3` on PATH may be another installation).
import subprocess
debian_python = "/usr/bin/python3"
config.substitutions.append(("%debian_python", debian_python))

def python_has(*modules):
    probe = "import " + ", ".join(modules)
    try:
        return subprocess.run([debian_python, "-c", probe],
                              capture_output=True).returncode == 0
    except OSError:
        return False

optional = {
    "onnx-testdata": os.path.isdir("/usr/share/libonnx-testdata/data"),
    # python3-onnx and python3-numpy read and compare TensorProto files.
    "python-onnx": python_has("onnx", "numpy"),
    # python3-torch and python3-torchvision export real CNNs (test/Execution).
    "python-torch": python_has("torch", "torchvision", "onnx", "numpy"),
    "verilator": shutil.which("verilator") is not None,
}
for feature, present in optional.items():
    if present:
        config.available_features.add(feature)
    elif required_in_ci:
        lit_config.fatal("CI=true but '%s' is missing (scripts/install-deps.sh "
                         "installs it)" % feature)
config.substitutions.append(("%cc", shutil.which("cc") or "cc"))

if config.hdx_enable_search:
    config.available_features.add("search")
# hdx-search-sweep (bench/) is built with the benchmarks.
if os.path.exists(os.path.join(config.hdx_tools_dir, "hdx-search-sweep")):
    config.available_features.add("search-sweep")

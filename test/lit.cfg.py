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

tools = ["hdx-opt", "hdx-map", "hdx-translate", "hdx-zoo", "hdx-search", "hdx-codesign"]
llvm_config.add_tool_substitutions(
    [t for t in tools if os.path.exists(os.path.join(config.hdx_tools_dir, t))],
    [config.hdx_tools_dir])

if os.path.isdir("/usr/share/libonnx-testdata/data"):
    config.available_features.add("onnx-testdata")

import shutil
if shutil.which("verilator"):
    config.available_features.add("verilator")
config.substitutions.append(("%cc", shutil.which("cc") or "cc"))

if config.hdx_enable_search:
    config.available_features.add("search")

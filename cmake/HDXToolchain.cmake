# Compiler launcher, linker and sanitizer settings shared by every target.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

# gold links the large static MLIR archives several times faster than bfd.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_LINK_OPTIONS -fuse-ld=gold)
check_cxx_source_compiles("int main() { return 0; }" HDX_HAVE_GOLD)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
# (Not for the fuzz targets: gold warns about every ASan helper symbol, and
# they are few and small.)
if(HDX_HAVE_GOLD AND NOT HDX_BUILD_FUZZERS)
  add_link_options(-fuse-ld=gold)
endif()

if(HDX_ENABLE_SANITIZERS)
  # Debian's LLVM/MLIR libraries are not instrumented. Under ASan, LLVM's
  # headers poison BumpPtrAllocator slabs in inline code; mixed with the
  # uninstrumented copies in the static MLIR archives that reports false
  # use-after-poison. Hiding the ASan macro from LLVM's headers (GCC only
  # signals ASan through it) keeps their inline code uninstrumented-compatible
  # while our own code stays fully checked.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined -U__SANITIZE_ADDRESS__)
  add_link_options(-fsanitize=address,undefined)
endif()

if(HDX_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HDX_BUILD_FUZZERS needs clang (libFuzzer), e.g. "
                        "-DCMAKE_CXX_COMPILER=clang++-19 -DCMAKE_C_COMPILER=clang-19")
  endif()
  # Coverage for libFuzzer and the sanitizers on all of our code; the fuzz
  # targets add -fsanitize=fuzzer at link time. Clang tells LLVM's headers
  # about ASan through __has_feature, so their inline allocators poison
  # memory the uninstrumented MLIR archives then touch: scripts/fuzz.sh runs
  # with ASAN_OPTIONS=allow_user_poisoning=0 for that reason.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

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
if(HDX_HAVE_GOLD)
  add_link_options(-fuse-ld=gold)
endif()

if(HDX_ENABLE_SANITIZERS)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

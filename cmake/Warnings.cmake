# SPDX-License-Identifier: Apache-2.0
# One warning policy for every host target: add_compile_options would leak into generated protobuf
# code, which does not build clean, so targets opt in with goinstr_warnings().
function(goinstr_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>
                                           -Wno-missing-field-initializers -Werror)
endfunction()

# SPDX-License-Identifier: Apache-2.0
# add_bpf_skeleton(NAME SOURCES a.bpf.c ... DEPENDS headers...)
#   Compiles each source with clang -target bpf, links them with `bpftool gen object` and generates
#   NAME.skel.h with `bpftool gen skeleton`. The skeleton embeds the BPF ELF, so the goinstr binary
#   needs no object file at run time. Produces the INTERFACE target NAME_skel.
find_program(BPF_CLANG NAMES clang clang-14 REQUIRED)
find_program(BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin REQUIRED)

function(add_bpf_skeleton name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/${name})
  file(MAKE_DIRECTORY ${out_dir})
  set(objects)
  foreach(src ${ARG_SOURCES})
    get_filename_component(base ${src} NAME_WE)
    set(obj ${out_dir}/${base}.unlinked.o)
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${BPF_CLANG} -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror
              -I${CMAKE_SOURCE_DIR} -I${CMAKE_SOURCE_DIR}/bpf
              -idirafter /usr/include/x86_64-linux-gnu
              -c ${CMAKE_CURRENT_SOURCE_DIR}/${src} -o ${obj}
      DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${src} ${ARG_DEPENDS}
      COMMENT "BPF ${src}"
      VERBATIM)
    list(APPEND objects ${obj})
  endforeach()
  set(linked ${out_dir}/${name}.bpf.o)
  set(skel ${out_dir}/${name}.skel.h)
  add_custom_command(
    OUTPUT ${skel}
    COMMAND ${BPFTOOL} gen object ${linked} ${objects}
    COMMAND ${BPFTOOL} gen skeleton ${linked} name ${name} > ${skel}
    DEPENDS ${objects}
    COMMENT "BPF skeleton ${name}.skel.h"
    VERBATIM)
  add_custom_target(${name}_skel_gen DEPENDS ${skel})
  add_library(${name}_skel INTERFACE)
  add_dependencies(${name}_skel ${name}_skel_gen)
  target_include_directories(${name}_skel INTERFACE ${out_dir})
  target_link_libraries(${name}_skel INTERFACE PkgConfig::LIBBPF PkgConfig::LIBELF)
endfunction()

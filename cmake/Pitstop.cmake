# Helpers shared by every CMakeLists.txt of the project.

# ps_module(NAME SOURCES a.c b.c [DATA file:symbol ...] [TESTS test_a.c ...] [LIBS extra])
# Builds static library ps_<NAME> from the sources (linked into the binary) and one
# cmocka test executable per TESTS entry, registered with CTest as unit.<NAME>.<file>.
# DATA embeds files into the library: each entry "path/relative/to/repo:c_symbol" defines
#   extern const unsigned char c_symbol[];  extern const size_t c_symbol_len;
# (the bytes are NUL-terminated so text files can be used as C strings).
function(ps_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DATA;TESTS;LIBS" ${ARGN})
  set(lib ps_${name})
  set(embedded)
  foreach(entry ${M_DATA})
    string(REPLACE ":" ";" parts ${entry})
    list(GET parts 0 file)
    list(GET parts 1 sym)
    ps_embed_file(${CMAKE_SOURCE_DIR}/${file} ${sym} out)
    list(APPEND embedded ${out})
  endforeach()
  add_library(${lib} STATIC ${M_SOURCES} ${embedded})
  target_include_directories(${lib} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${lib} PUBLIC ps_core ${M_LIBS})
  if(NOT name STREQUAL "core")
    set_property(GLOBAL APPEND PROPERTY PS_MODULE_LIBS ${lib})
    # Only a folder that defines its descriptor is registered; until it does, CMake re-checks
    # its sources whenever they change (a half-written module never breaks the link).
    set(has_descriptor FALSE)
    foreach(src ${M_SOURCES})
      set(hit "")
      if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${src})
        file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/${src} hit REGEX "struct ps_module ps_module_${name}[ =]")
      endif()
      if(hit)
        set(has_descriptor TRUE)
      endif()
    endforeach()
    if(has_descriptor)
      set_property(GLOBAL APPEND PROPERTY PS_MODULE_NAMES ${name})
    else()
      message(WARNING "module ${name} defines no ps_module_${name}: not registered yet")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${M_SOURCES})
    endif()
  endif()
  foreach(test_src ${M_TESTS})
    ps_unit_test(${name} ${test_src} ${lib})
  endforeach()
endfunction()

# ps_unit_test(GROUP file.c lib...): one cmocka executable, one CTest entry.
function(ps_unit_test group test_src)
  if(NOT CMOCKA_FOUND)
    return()
  endif()
  get_filename_component(base ${test_src} NAME_WE)
  set(exe unit_${group}_${base})
  add_executable(${exe} ${test_src})
  target_link_libraries(${exe} PRIVATE ${ARGN} ps_core PkgConfig::CMOCKA)
  target_include_directories(${exe} PRIVATE ${CMAKE_SOURCE_DIR}/src)
  add_test(NAME unit.${group}.${base} COMMAND ${exe})
  set_tests_properties(unit.${group}.${base} PROPERTIES
    ENVIRONMENT "PS_SOURCE_DIR=${CMAKE_SOURCE_DIR};CMOCKA_MESSAGE_OUTPUT=stdout"
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
endfunction()

# ps_embed_file(FILE SYMBOL OUTVAR): generate a .c file holding FILE's bytes.
function(ps_embed_file file sym outvar)
  set(out ${CMAKE_BINARY_DIR}/embed/${sym}.c)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DSYM=${sym} -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${file} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${file}")
  set(${outvar} ${out} PARENT_SCOPE)
endfunction()

# How a backend's src/backends/<folder>/backend.cmake builds its engine (CMakeLists.txt includes
# each registered folder's file after the layers it links). Both functions add DBMCP_HAVE_<NAME>
# to DBMCP_BACKEND_DEFS, which the descriptors and the factory read.

# dbmcp_backend_built_in(<name> <library>...)
# The engine of src/backends/<name> as a static layer linked with <library>... into the executable
# itself (dbmcp_backends links every DBMCP_BACKEND_LIBS).
function(dbmcp_backend_built_in name)
  dbmcp_layer(backends/${name} ${ARGN})
  string(TOUPPER ${name} upper)
  set(DBMCP_BACKEND_LIBS ${DBMCP_BACKEND_LIBS} dbmcp_backends_${name} PARENT_SCOPE)
  set(DBMCP_BACKEND_DEFS ${DBMCP_BACKEND_DEFS} DBMCP_HAVE_${upper} PARENT_SCOPE)
endfunction()

# dbmcp_backend_module(<name> LIBRARIES <library>... DESCRIPTION <text> [SUGGESTS <packages>])
# The engine of src/backends/<name> as a static layer linked with LIBRARIES, wrapped by
# src/backends/modules/<name>_module.cpp into the module dbmcp-<name>.so that dbmcp dlopen()s on
# first use (module_loader.hpp), so the executable never links the client library. The module
# exports only dbmcp_open_store; it is installed (stripped unless DBMCP_INSTALL_STRIP is OFF) in
# ${DBMCP_MODULE_SUBDIR} with its copyright file, as the install component <name>, which
# cmake/Package.cmake packages as dbmcp-<name> (depending on dbmcp, described by DESCRIPTION:
# a summary line, then "\n " and the long description). Building dbmcp builds the module.
function(dbmcp_backend_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "DESCRIPTION;SUGGESTS" "LIBRARIES")
  if(NOT arg_DESCRIPTION)
    message(FATAL_ERROR "dbmcp_backend_module(${name}): DESCRIPTION is required (the package's)")
  endif()
  dbmcp_layer(backends/${name} ${arg_LIBRARIES})
  string(TOUPPER ${name} upper)
  set(DBMCP_BACKEND_DEFS ${DBMCP_BACKEND_DEFS} DBMCP_HAVE_${upper} PARENT_SCOPE)
  set(DBMCP_MODULES ${DBMCP_MODULES} ${name} PARENT_SCOPE)

  set(target dbmcp_${name})
  add_library(${target} MODULE ${CMAKE_CURRENT_SOURCE_DIR}/src/backends/modules/${name}_module.cpp)
  target_link_libraries(${target} PRIVATE dbmcp_backends_${name})
  # Only dbmcp_open_store is exported; the copies of the static layers stay private.
  target_link_options(${target} PRIVATE -Wl,--exclude-libs,ALL)
  set_target_properties(${target} PROPERTIES PREFIX "" OUTPUT_NAME dbmcp-${name}
                        LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR} CXX_VISIBILITY_PRESET hidden)

  install(TARGETS ${target} LIBRARY DESTINATION ${DBMCP_MODULE_SUBDIR} COMPONENT ${name})
  if(dbmcp_copyright)
    install(FILES ${dbmcp_copyright} DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/dbmcp-${name} COMPONENT ${name})
  endif()
  if(DBMCP_INSTALL_STRIP AND CMAKE_STRIP)
    set(installed "\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${DBMCP_MODULE_SUBDIR}/dbmcp-${name}.so")
    install(CODE "execute_process(COMMAND ${CMAKE_STRIP} --strip-unneeded \"${installed}\")" COMPONENT ${name})
  endif()

  set(CPACK_DEBIAN_${upper}_PACKAGE_NAME dbmcp-${name} PARENT_SCOPE)
  set(CPACK_DEBIAN_${upper}_FILE_NAME DEB-DEFAULT PARENT_SCOPE) # dbmcp-<name>_<version>_<arch>.deb
  set(CPACK_DEBIAN_${upper}_PACKAGE_DEPENDS "dbmcp (= ${PROJECT_VERSION})" PARENT_SCOPE)
  if(arg_SUGGESTS)
    set(CPACK_DEBIAN_${upper}_PACKAGE_SUGGESTS "${arg_SUGGESTS}" PARENT_SCOPE)
  endif()
  set(CPACK_DEBIAN_${upper}_DESCRIPTION "${arg_DESCRIPTION}" PARENT_SCOPE)
endfunction()

# DBMCP_SANITIZE=address builds with AddressSanitizer and UndefinedBehaviorSanitizer;
# DBMCP_SANITIZE=thread builds with ThreadSanitizer. Applies to every target below.
if(DBMCP_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(DBMCP_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT DBMCP_SANITIZE STREQUAL "")
  message(FATAL_ERROR "DBMCP_SANITIZE must be empty, 'address' or 'thread', not '${DBMCP_SANITIZE}'")
endif()

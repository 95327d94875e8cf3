#include "util/memory.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace dbmcp {

void give_memory_back()
{
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

} // namespace dbmcp

#pragma once

#include <cstddef>

namespace dbmcp {

// Requests at least this large give their memory back to the system when their work ends.
inline constexpr size_t k_give_back_after_bytes = size_t{1} << 20;

// Returns the allocator's free memory to the system (glibc: malloc_trim), so that the resident
// size falls back after a large request. Costs a walk of the heap: call it after large work only.
void give_memory_back();

} // namespace dbmcp

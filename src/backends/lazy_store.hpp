#pragma once

#include "store/store.hpp"

#include <functional>
#include <memory>
#include <string>

namespace dbmcp::backends {

// Opens the real store; throws store::StoreError when it cannot.
using StoreOpener = std::function<std::unique_ptr<store::Store>()>;

// A Store that connects on first use (DESIGN.md section 1.4: the server answers
// the handshake before it touches the database). Every method opens the
// database through `open` when it is not open yet, then forwards. When opening
// throws, the method rethrows that StoreError and the next call tries again;
// once open, the store stays open for the lifetime of this object. backend()
// answers `backend` until the database is open, without connecting;
// capability() answers what that backend's description says, never connecting.
// Thread-safe.
std::unique_ptr<store::Store> make_lazy_store(StoreOpener open,
                                              std::string backend);

} // namespace dbmcp::backends

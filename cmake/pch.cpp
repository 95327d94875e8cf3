// The one source of the targets that own the shared precompiled headers (cmake/Precompiled.cmake).

#pragma once

namespace dbmcp::jsonrpc {

// JSON-RPC 2.0 error codes.
constexpr int k_parse_error = -32700;       // the line is not JSON (the response id is null)
constexpr int k_invalid_request = -32600;   // JSON, but not a valid request object
constexpr int k_method_not_found = -32601;
constexpr int k_invalid_params = -32602;
constexpr int k_internal_error = -32603;

// MCP error codes.
constexpr int k_resource_not_found = -32002;            // protocol versions up to 2025-11-25
constexpr int k_unsupported_protocol_version = -32022;  // 2026-07-28, data {supported, requested}

} // namespace dbmcp::jsonrpc

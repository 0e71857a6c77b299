#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/aws_error.h"

namespace datazone_mock {

// Every error the mock answers, with the exact bytes of docs/wire.md: status, x-amzn-ErrorType
// (with its coral suffix where AWS sends one) and default message.

// A modeled or common error by type name with its default status and message, for scenario
// rules. nullopt for a name that is not one docs/wire.md lists.
std::optional<AwsError> ErrorByType(std::string_view type);
// Every type ErrorByType knows, in docs/wire.md's order.
std::vector<std::string_view> KnownInjectableErrors();

AwsError ValidationError(std::string message);  // 400, coral validate suffix
AwsError InvalidNextToken(std::string reason);  // 400 ValidationException, fixed message
AwsError SerializationError(std::string_view member);
AwsError ResourceNotFound(std::string reason);
AwsError AccessDenied();
AwsError UnknownOperation(std::string_view method, std::string_view path);
AwsError InternalServerError(std::string reason);

// Limits of the HTTP layer: request headers (all lines together) and body. The body limit is
// that of an input file (docs/decisions.md), since admin uploads carry fixture files.
inline constexpr std::size_t kMaxRequestHeaderBytes = 64 * 1024;
inline constexpr std::size_t kMaxRequestBodyBytes = 64 * 1024 * 1024;

// Errors the HTTP layer raises before our handlers run (docs/decisions.md).
AwsError RequestUriTooLong();
AwsError RequestHeaderFieldsTooLarge();  // 431
AwsError PayloadTooLarge();              // 413
AwsError RequestTimeout();               // 408: the request did not arrive in time
AwsError BadRequest();
AwsError ServiceUnavailable(std::string reason);

}  // namespace datazone_mock

#include "api/aws_errors.h"

#include <array>

namespace datazone_mock {
namespace {

// docs/wire.md: "every ValidationException ... carries the :http://...coral.validate/ suffix";
// the authentication errors carry the coral service suffix; other modeled errors the bare type.
constexpr std::string_view kValidateSuffix =
    ":http://internal.amazon.com/coral/com.amazon.coral.validate/";
constexpr std::string_view kServiceSuffix =
    ":http://internal.amazon.com/coral/com.amazon.coral.service/";

struct ErrorDefault {
  std::string_view type;
  int status;
  std::string_view suffix;
  std::string_view message;
};

constexpr std::array kErrorDefaults = {
    // Modeled errors of ListJobRuns; messages from the API reference (docs/wire.md).
    ErrorDefault{"AccessDeniedException", 403, "",
                 "You do not have sufficient access to perform this action."},
    ErrorDefault{"InternalServerException", 500, "",
                 "The request has failed because of an unknown error, exception or failure."},
    ErrorDefault{"ResourceNotFoundException", 404, "", "The specified resource cannot be found."},
    ErrorDefault{"ThrottlingException", 429, "",
                 "The request was denied due to request throttling."},
    ErrorDefault{"UnauthorizedException", 401, "",
                 "You do not have permission to perform this action."},
    ErrorDefault{"ValidationException", 400, kValidateSuffix,
                 "The input fails to satisfy the constraints specified by the AWS service."},
    // Common errors (docs/wire.md, "Authentication and common errors").
    ErrorDefault{"MissingAuthenticationTokenException", 403, kServiceSuffix,
                 "Missing Authentication Token"},
    ErrorDefault{"IncompleteSignatureException", 403, kServiceSuffix,
                 "Authorization header requires 'Credential' parameter. Authorization header "
                 "requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
                 "parameter. Authorization header requires existence of either a 'X-Amz-Date' or "
                 "a 'Date' header."},
    ErrorDefault{"UnrecognizedClientException", 403, kServiceSuffix,
                 "The security token included in the request is invalid."},
    ErrorDefault{"InvalidSignatureException", 403, kServiceSuffix,
                 "The request signature we calculated does not match the signature you provided. "
                 "Check your AWS Secret Access Key and signing method. Consult the service "
                 "documentation for details."},
    ErrorDefault{"ExpiredTokenException", 403, kServiceSuffix,
                 "The security token included in the request is expired"},
    // Outside the model; texts ours (docs/decisions.md).
    ErrorDefault{"ServiceUnavailableException", 503, "",
                 "The service is unavailable. Please try again later."},
};

AwsError FromDefault(const ErrorDefault& d) {
  return AwsError{std::string(d.type), d.status, std::string(d.type) + std::string(d.suffix),
                  std::string(d.message), ""};
}

AwsError Named(std::string_view type) {
  for (const ErrorDefault& d : kErrorDefaults) {
    if (d.type == type) return FromDefault(d);
  }
  return AwsError{std::string(type), 500, std::string(type), "", ""};
}

AwsError Plain(std::string type, int status, std::string message) {
  std::string header = type;
  return AwsError{std::move(type), status, std::move(header), std::move(message), ""};
}

}  // namespace

std::optional<AwsError> ErrorByType(std::string_view type) {
  for (const ErrorDefault& d : kErrorDefaults) {
    if (d.type == type) return FromDefault(d);
  }
  return std::nullopt;
}

std::vector<std::string_view> KnownInjectableErrors() {
  std::vector<std::string_view> types;
  for (const ErrorDefault& d : kErrorDefaults) types.push_back(d.type);
  return types;
}

AwsError ValidationError(std::string message) {
  AwsError error = Named("ValidationException");
  error.message = std::move(message);
  return error;
}

AwsError InvalidNextToken(std::string reason) {
  AwsError error = ValidationError("The nextToken provided is invalid.");
  error.reason = std::move(reason);
  return error;
}

AwsError SerializationError(std::string_view member) {
  return Plain("SerializationException", 400,
               "Value at '" + std::string(member) + "' cannot be converted to an integer");
}

AwsError ResourceNotFound(std::string reason) {
  AwsError error = Named("ResourceNotFoundException");
  error.reason = std::move(reason);
  return error;
}

AwsError AccessDenied() { return Named("AccessDeniedException"); }

AwsError UnknownOperation(std::string_view method, std::string_view path) {
  AwsError error = Plain("UnknownOperationException", 404,
                         "The requested operation is not recognized by the service.");
  error.reason = std::string(method) + " " + std::string(path);
  return error;
}

AwsError InternalServerError(std::string reason) {
  AwsError error = Named("InternalServerException");
  error.reason = std::move(reason);
  return error;
}

AwsError RequestUriTooLong() {
  return Plain("RequestUriTooLong", 414, "The request line is longer than 8192 bytes.");
}

AwsError RequestHeaderFieldsTooLarge() {
  // Appended piecewise: GCC 12 at -O3 warns falsely (-Wrestrict) on `literal + string`.
  std::string message = "The request headers are larger than ";
  message += std::to_string(kMaxRequestHeaderBytes);
  message += " bytes.";
  return Plain("RequestHeaderFieldsTooLarge", 431, std::move(message));
}

AwsError PayloadTooLarge() {
  std::string message = "The request body is larger than ";
  message += std::to_string(kMaxRequestBodyBytes);
  message += " bytes.";
  return Plain("PayloadTooLarge", 413, std::move(message));
}

AwsError RequestTimeout() {
  return Plain("RequestTimeout", 408,
               "The request did not arrive in full within the read timeout.");
}

AwsError BadRequest() {
  return Plain("BadRequest", 400, "The request could not be parsed as HTTP/1.1.");
}

AwsError ServiceUnavailable(std::string reason) {
  AwsError error = Named("ServiceUnavailableException");
  error.reason = std::move(reason);
  return error;
}

}  // namespace datazone_mock

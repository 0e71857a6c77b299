#pragma once

#include <chrono>
#include <string>

namespace datazone_mock {

// An IMF-fixdate for the Date header ("Sun, 06 Nov 1994 08:49:37 GMT"); SDKs correct their
// clock skew from it.
std::string FormatHttpDate(std::chrono::system_clock::time_point time);

}  // namespace datazone_mock

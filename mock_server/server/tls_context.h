#pragma once

#include <memory>
#include <string>

#include "core/result.h"

// OpenSSL's own names, declared here so users of this header need not include OpenSSL.
struct ssl_ctx_st;
struct ssl_st;

namespace datazone_mock {

// A TLS server context loaded from PEM files (--tls-cert, --tls-key). Immutable once made:
// connections on any thread create their sessions from it.
class TlsContext {
 public:
  // The certificate chain and its private key, checked to belong together; or why not, in
  // words that name the file.
  static Result<std::unique_ptr<TlsContext>, std::string> FromPemFiles(const std::string& cert,
                                                                       const std::string& key);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A new server-side session for one connection; nullptr when OpenSSL cannot make one.
  ssl_st* NewSession(int fd) const;

 private:
  explicit TlsContext(ssl_ctx_st* context) : context_(context) {}
  ssl_ctx_st* context_;
};

}  // namespace datazone_mock

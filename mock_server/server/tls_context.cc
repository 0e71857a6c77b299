#include "server/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

namespace datazone_mock {
namespace {

// The reason OpenSSL gave last, e.g. "no start line" for a file that is not PEM.
std::string LastOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  const char* reason = ERR_reason_error_string(code);
  return reason ? reason : "error " + std::to_string(code);
}

// Why a file cannot be read, in the system's words; OpenSSL 3 reports only a number for it.
std::optional<std::string> Unreadable(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return std::strerror(errno);
  std::fclose(file);
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<TlsContext>, std::string> TlsContext::FromPemFiles(const std::string& cert,
                                                                          const std::string& key) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (!context) return "cannot create a TLS context: " + LastOpenSslError();
  std::unique_ptr<TlsContext> owned(new TlsContext(context));
  // TLS 1.2 is the oldest version AWS endpoints accept, so SDKs never need an older one.
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_mode(context, SSL_MODE_AUTO_RETRY);
  if (auto problem = Unreadable(cert)) return "--tls-cert " + cert + ": " + *problem;
  if (auto problem = Unreadable(key)) return "--tls-key " + key + ": " + *problem;
  if (SSL_CTX_use_certificate_chain_file(context, cert.c_str()) != 1) {
    return "--tls-cert " + cert + ": cannot load a PEM certificate: " + LastOpenSslError();
  }
  if (SSL_CTX_use_PrivateKey_file(context, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(context) != 1) {
    // Loading a key already checks it against the certificate.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return "--tls-key " + key + " does not belong to the certificate in " + cert;
    }
    return "--tls-key " + key + ": cannot load a PEM private key: " + LastOpenSslError();
  }
  return owned;
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

ssl_st* TlsContext::NewSession(int fd) const {
  SSL* session = SSL_new(context_);
  if (session && SSL_set_fd(session, fd) != 1) {
    SSL_free(session);
    return nullptr;
  }
  return session;
}

}  // namespace datazone_mock

#include "api/page_token.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <stdexcept>

namespace datazone_mock {
namespace {

constexpr std::uint8_t kFormatVersion = 1;
constexpr std::size_t kMacSize = 32;  // HMAC-SHA256

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int AlphabetIndex(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

void PutU64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

void PutString(std::string& out, std::string_view text, int length_bytes) {
  for (int shift = (length_bytes - 1) * 8; shift >= 0; shift -= 8) {
    out += static_cast<char>((text.size() >> shift) & 0xFF);
  }
  out += text;
}

// Reads the token record field by field; any read past the end makes the record invalid.
class RecordReader {
 public:
  explicit RecordReader(std::string_view data) : data_(data) {}

  std::optional<std::uint64_t> U(int bytes) {
    if (data_.size() < static_cast<std::size_t>(bytes)) return std::nullopt;
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
      value = (value << 8) | static_cast<unsigned char>(data_[static_cast<std::size_t>(i)]);
    data_.remove_prefix(static_cast<std::size_t>(bytes));
    return value;
  }
  std::optional<std::string> String(int length_bytes) {
    const auto length = U(length_bytes);
    if (!length || data_.size() < *length) return std::nullopt;
    std::string text(data_.substr(0, *length));
    data_.remove_prefix(*length);
    return text;
  }
  bool AtEnd() const { return data_.empty(); }

 private:
  std::string_view data_;
};

// now - issued > limit, for every issue time a record can hold: `now - issued` itself would
// overflow for one near the bottom of int64 (and then pass as fresh).
bool OlderThan(std::int64_t issued, std::int64_t now, std::int64_t limit) {
  if (issued >= now) return false;
  // Both as unsigned: the difference of two int64 values with issued < now fits exactly.
  return static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(issued) >
         static_cast<std::uint64_t>(std::max<std::int64_t>(limit, 0));
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1]))
                                << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (rest == 2) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = AlphabetIndex(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Canonical form only: the bits left over must be zero.
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

struct PageTokenCodec::KeyedMac {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* keyed = nullptr;
  ~KeyedMac() {
    EVP_MAC_CTX_free(keyed);
    EVP_MAC_free(mac);
  }
};

PageTokenCodec::PageTokenCodec(std::string secret, std::optional<std::chrono::seconds> ttl)
    : ttl_(ttl), keyed_(std::make_unique<KeyedMac>()) {
  keyed_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  keyed_->keyed = keyed_->mac ? EVP_MAC_CTX_new(keyed_->mac) : nullptr;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                               OSSL_PARAM_construct_end()};
  if (!keyed_->keyed ||
      EVP_MAC_init(keyed_->keyed, reinterpret_cast<const unsigned char*>(secret.data()),
                   secret.size(), params) != 1) {
    // No HMAC means a broken OpenSSL installation, not bad input.
    throw std::runtime_error("OpenSSL HMAC-SHA256 is not available");
  }
}

PageTokenCodec::~PageTokenCodec() = default;

std::array<unsigned char, kMacSize> PageTokenCodec::Mac(std::string_view data) const {
  std::array<unsigned char, kMacSize> out{};
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(keyed_->keyed);
  std::size_t length = 0;
  if (ctx) {
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    EVP_MAC_final(ctx, out.data(), &length, out.size());
    EVP_MAC_CTX_free(ctx);
  }
  return out;
}

std::string PageTokenCodec::Encode(const PageTokenClaims& claims) const {
  assert(claims.domain_identifier.size() <= kMaxTokenIdentifierBytes);
  assert(claims.job_identifier.size() <= kMaxTokenIdentifierBytes);
  assert(claims.after.run_id.size() <= kMaxTokenRunIdBytes);
  std::string record;
  record.reserve(64 + claims.after.run_id.size());
  record += static_cast<char>(kFormatVersion);
  record += static_cast<char>(claims.sort_order == SortOrder::kAscending ? 0 : 1);
  record += static_cast<char>(claims.status ? static_cast<int>(*claims.status) + 1 : 0);
  PutU64(record, static_cast<std::uint64_t>(claims.after.created_at));
  PutU64(record, static_cast<std::uint64_t>(claims.issued_at_seconds));
  PutString(record, claims.after.run_id, 2);
  PutString(record, claims.domain_identifier, 1);
  PutString(record, claims.job_identifier, 1);
  const auto mac = Mac(record);
  record.append(reinterpret_cast<const char*>(mac.data()), mac.size());
  return Base64UrlEncode(record);
}

Result<PageTokenClaims, std::string> PageTokenCodec::Decode(std::string_view token,
                                                            std::int64_t now_seconds) const {
  const auto bytes = Base64UrlDecode(token);
  if (!bytes) return std::string("not base64url");
  if (bytes->size() <= kMacSize) return std::string("too short");
  const std::string_view record = std::string_view(*bytes).substr(0, bytes->size() - kMacSize);
  const auto expected = Mac(record);
  if (CRYPTO_memcmp(expected.data(), bytes->data() + record.size(), kMacSize) != 0) {
    return std::string("signature mismatch: tampered with or signed with another secret");
  }
  // The MAC holds, so the record is ours; a malformed one means another format version.
  RecordReader reader(record);
  const auto version = reader.U(1);
  const auto sort = reader.U(1);
  const auto status = reader.U(1);
  const auto created_at = reader.U(8);
  const auto issued_at = reader.U(8);
  auto run_id = reader.String(2);
  auto domain = reader.String(1);
  auto job = reader.String(1);
  if (!version || *version != kFormatVersion || !sort || *sort > 1 || !status ||
      *status > kAllJobRunStatuses.size() || !created_at || !issued_at || !run_id || !domain ||
      !job || !reader.AtEnd()) {
    return std::string("unknown token format");
  }
  PageTokenClaims claims;
  claims.sort_order = *sort == 0 ? SortOrder::kAscending : SortOrder::kDescending;
  if (*status > 0) claims.status = kAllJobRunStatuses[*status - 1];
  claims.after = RunPosition{static_cast<TimestampMs>(*created_at), std::move(*run_id)};
  claims.issued_at_seconds = static_cast<std::int64_t>(*issued_at);
  claims.domain_identifier = std::move(*domain);
  claims.job_identifier = std::move(*job);
  if (ttl_ && OlderThan(claims.issued_at_seconds, now_seconds, ttl_->count())) {
    return std::string("expired");
  }
  return claims;
}

}  // namespace datazone_mock

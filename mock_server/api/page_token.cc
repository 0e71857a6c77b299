#include "api/page_token.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <functional>
#include <limits>
#include <stdexcept>

#include "api/list_job_runs_request.h"
#include "core/slot_memo.h"

namespace datazone_mock {
namespace {

// A token's bytes: kFormatVersion, the nonce, the sealed record, the GCM tag. The version is in
// the clear (and authenticated as associated data) so that a token of another format is told
// apart before any key is used.
constexpr std::uint8_t kFormatVersion = 2;
constexpr std::size_t kNonceSize = 12;  // GCM's natural 96 bits
constexpr std::size_t kTagSize = 16;    // the full GCM tag
constexpr std::size_t kKeySize = 32;    // AES-256; the nonce key is as long
constexpr std::size_t kEnvelopeSize = 1 + kNonceSize + kTagSize;

// HKDF-SHA256 `info` labels: one key per purpose, and new keys with a new format.
constexpr std::string_view kEncryptionKeyLabel = "datazone-mock nextToken v2 AES-256-GCM key";
constexpr std::string_view kNonceKeyLabel = "datazone-mock nextToken v2 synthetic nonce key";

// The record: flags (1 byte: bit 0 set for DESCENDING, bit 1 set when the token has no position,
// and then the position's fields are zero and empty), status filter (1: 0 for none, else 1 + the
// status), page (4), after.created_at (8), issued_at_seconds (8), then runId, domain and job, each
// after its length (2, 1 and 1 bytes). Integers big-endian, signed ones as two's complement.
constexpr int kDescendingFlag = 1;
constexpr int kNoPositionFlag = 2;
constexpr std::size_t kFixedRecordSize = 1 + 1 + 4 + 8 + 8 + 2 + 1 + 1;
constexpr std::size_t kMaxTokenBytes =
    kEnvelopeSize + kFixedRecordSize + kMaxTokenRunIdBytes + 2 * kMaxTokenIdentifierBytes;
static_assert(kMaxTokenRunIdBytes <= 0xFFFF, "the runId length field has two bytes");
static_assert((kMaxTokenBytes * 4 + 2) / 3 < kMaxNextTokenLength,
              "the longest token must stay within the model's nextToken length");

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int AlphabetIndex(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

void PutUnsigned(std::string& out, std::uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    out += static_cast<char>((value >> shift) & 0xFF);
  }
}

void PutString(std::string& out, std::string_view text, int length_bytes) {
  PutUnsigned(out, text.size(), length_bytes);
  out += text;
}

std::string TokenRecord(const PageTokenClaims& claims) {
  std::string record;
  static const RunPosition kNoPosition{0, {}};
  const RunPosition& after = claims.after ? *claims.after : kNoPosition;
  record.reserve(kFixedRecordSize + after.run_id.size() + claims.domain_identifier.size() +
                 claims.job_identifier.size());
  const int flags = (claims.sort_order == SortOrder::kAscending ? 0 : kDescendingFlag) |
                    (claims.after ? 0 : kNoPositionFlag);
  record += static_cast<char>(flags);
  record += static_cast<char>(claims.status ? static_cast<int>(*claims.status) + 1 : 0);
  PutUnsigned(record, claims.page, 4);
  PutUnsigned(record, static_cast<std::uint64_t>(after.created_at), 8);
  PutUnsigned(record, static_cast<std::uint64_t>(claims.issued_at_seconds), 8);
  PutString(record, after.run_id, 2);
  PutString(record, claims.domain_identifier, 1);
  PutString(record, claims.job_identifier, 1);
  return record;
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
  std::optional<std::string> String(int length_bytes, std::size_t max_length) {
    const auto length = U(length_bytes);
    if (!length || *length > max_length || data_.size() < *length) return std::nullopt;
    std::string text(data_.substr(0, *length));
    data_.remove_prefix(*length);
    return text;
  }
  bool AtEnd() const { return data_.empty(); }

 private:
  std::string_view data_;
};

// The inverse of TokenRecord, strict: a record it accepts is exactly what TokenRecord makes of
// the claims it returns (one token per claims).
std::optional<PageTokenClaims> ParseTokenRecord(std::string_view record) {
  RecordReader reader(record);
  const auto flags = reader.U(1);
  const auto status = reader.U(1);
  const auto page = reader.U(4);
  const auto created_at = reader.U(8);
  const auto issued_at = reader.U(8);
  auto run_id = reader.String(2, kMaxTokenRunIdBytes);
  auto domain = reader.String(1, kMaxTokenIdentifierBytes);
  auto job = reader.String(1, kMaxTokenIdentifierBytes);
  if (!flags || *flags > (kDescendingFlag | kNoPositionFlag) || !status ||
      *status > kAllJobRunStatuses.size() || !page || *page == 0 || !created_at || !issued_at ||
      !run_id || !domain || !job || !reader.AtEnd()) {
    return std::nullopt;
  }
  PageTokenClaims claims;
  claims.sort_order = (*flags & kDescendingFlag) ? SortOrder::kDescending : SortOrder::kAscending;
  if (*status > 0) claims.status = kAllJobRunStatuses[*status - 1];
  claims.page = static_cast<std::uint32_t>(*page);
  if (*flags & kNoPositionFlag) {
    // Without a position its fields are zero and empty: one record per claims.
    if (*created_at != 0 || !run_id->empty()) return std::nullopt;
  } else {
    claims.after = RunPosition{static_cast<TimestampMs>(*created_at), std::move(*run_id)};
  }
  claims.issued_at_seconds = static_cast<std::int64_t>(*issued_at);
  claims.domain_identifier = std::move(*domain);
  claims.job_identifier = std::move(*job);
  return claims;
}

const unsigned char* Bytes(std::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

// OpenSSL contexts as unique_ptrs, so that every path frees them.
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

// A copy of a keyed template, ready for one message; null if OpenSSL fails.
CipherCtx CopyOf(const EVP_CIPHER_CTX* keyed) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (ctx && EVP_CIPHER_CTX_copy(ctx.get(), keyed) != 1) ctx.reset();
  return ctx;
}

// HKDF-SHA256 (RFC 5869, no salt) of the secret, for the purpose named by `label`.
std::array<unsigned char, kKeySize> DeriveKey(std::string_view secret, std::string_view label) {
  std::array<unsigned char, kKeySize> key{};
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(secret.data()),
                                        secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(label.data()),
                                        label.size()),
      OSSL_PARAM_construct_end()};
  const bool ok = ctx && EVP_KDF_derive(ctx, key.data(), key.size(), params) == 1;
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  // No HKDF means a broken OpenSSL installation, not bad input.
  if (!ok) throw std::runtime_error("OpenSSL HKDF-SHA256 is not available");
  return key;
}

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

struct PageTokenCodec::Keys {
  EVP_MAC* hmac = nullptr;
  EVP_CIPHER* aes_gcm = nullptr;
  // HMAC-SHA256 under the nonce key.
  EVP_MAC_CTX* nonce_mac = nullptr;
  // AES-256-GCM under the encryption key, one context each way, without a nonce yet.
  EVP_CIPHER_CTX* encrypt = nullptr;
  EVP_CIPHER_CTX* decrypt = nullptr;

  ~Keys() {
    EVP_CIPHER_CTX_free(decrypt);
    EVP_CIPHER_CTX_free(encrypt);
    EVP_MAC_CTX_free(nonce_mac);
    EVP_CIPHER_free(aes_gcm);
    EVP_MAC_free(hmac);
  }
};

// The last records sealed and their tokens (sealing is deterministic, so a hit is the token a
// fresh seal would give).
struct PageTokenCodec::RecentTokens {
  struct Slot {
    std::string record;
    std::string token;
  };
  SlotMemo<Slot, 64> slots;
};

PageTokenCodec::PageTokenCodec(std::string secret, std::optional<std::chrono::seconds> ttl)
    : ttl_(ttl), recent_(std::make_unique<RecentTokens>()), keys_(std::make_unique<Keys>()) {
  auto encryption_key = DeriveKey(secret, kEncryptionKeyLabel);
  auto nonce_key = DeriveKey(secret, kNonceKeyLabel);
  Keys& keys = *keys_;
  keys.hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  keys.aes_gcm = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  keys.nonce_mac = keys.hmac ? EVP_MAC_CTX_new(keys.hmac) : nullptr;
  keys.encrypt = EVP_CIPHER_CTX_new();
  keys.decrypt = EVP_CIPHER_CTX_new();
  char digest[] = "SHA256";
  const OSSL_PARAM mac_params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  const bool ok =
      keys.aes_gcm && keys.nonce_mac && keys.encrypt && keys.decrypt &&
      EVP_MAC_init(keys.nonce_mac, nonce_key.data(), nonce_key.size(), mac_params) == 1 &&
      EVP_EncryptInit_ex2(keys.encrypt, keys.aes_gcm, encryption_key.data(), nullptr, nullptr) ==
          1 &&
      EVP_DecryptInit_ex2(keys.decrypt, keys.aes_gcm, encryption_key.data(), nullptr, nullptr) == 1;
  OPENSSL_cleanse(encryption_key.data(), encryption_key.size());
  OPENSSL_cleanse(nonce_key.data(), nonce_key.size());
  // No HMAC or AES-GCM means a broken OpenSSL installation, not bad input.
  if (!ok) throw std::runtime_error("OpenSSL HMAC-SHA256 or AES-256-GCM is not available");
}

PageTokenCodec::~PageTokenCodec() = default;

std::string PageTokenCodec::Encode(const PageTokenClaims& claims) const {
  assert(claims.domain_identifier.size() <= kMaxTokenIdentifierBytes);
  assert(claims.job_identifier.size() <= kMaxTokenIdentifierBytes);
  assert(!claims.after || claims.after->run_id.size() <= kMaxTokenRunIdBytes);
  assert(claims.page >= 1);
  std::string record = TokenRecord(claims);
  const std::size_t hash = std::hash<std::string_view>{}(record);
  std::string token = recent_->slots.Read(hash, [&](const RecentTokens::Slot& slot) {
    return slot.record == record ? slot.token : std::string();
  });
  if (!token.empty()) return token;
  token = SealRecord(record);
  recent_->slots.Keep(hash, RecentTokens::Slot{std::move(record), token});
  return token;
}

// A synthetic nonce (as in SIV, RFC 5297): the first 96 bits of HMAC-SHA256 of the record under
// the nonce key. A random nonce would make tokens differ on every call; this one keeps the codec
// deterministic (no randomness to inject, the same claims give the same token in every process
// with the secret) and still never uses a nonce for two records: the same nonce means the same
// record, hence the same token, barring a 96-bit HMAC collision.
std::string PageTokenCodec::SealRecord(std::string_view record) const {
  if (record.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw std::length_error("nextToken record too long");
  }
  std::string bytes(kEnvelopeSize + record.size(), '\0');
  auto* const out = reinterpret_cast<unsigned char*>(bytes.data());
  out[0] = kFormatVersion;
  unsigned char* const nonce = out + 1;
  unsigned char* const sealed = nonce + kNonceSize;
  unsigned char* const tag = sealed + record.size();

  // Only an allocation failure makes OpenSSL fail here. Throwing beats a token that could never
  // be decoded, which would turn the failure into an invalid nextToken one page later.
  const auto fail = [] { throw std::runtime_error("OpenSSL failed to seal a nextToken"); };
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  std::size_t mac_length = 0;
  const MacCtx mac_ctx(EVP_MAC_CTX_dup(keys_->nonce_mac));
  if (!mac_ctx || EVP_MAC_update(mac_ctx.get(), Bytes(record), record.size()) != 1 ||
      EVP_MAC_final(mac_ctx.get(), mac.data(), &mac_length, mac.size()) != 1 ||
      mac_length < kNonceSize) {
    fail();
  }
  std::copy_n(mac.data(), kNonceSize, nonce);

  const CipherCtx ctx = CopyOf(keys_->encrypt);
  int length = 0;
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), nullptr, nullptr, nonce, nullptr) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, out, 1) != 1 ||  // the version, as AAD
      EVP_EncryptUpdate(ctx.get(), sealed, &length, Bytes(record),
                        static_cast<int>(record.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), sealed + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), tag) != 1) {
    fail();
  }
  return Base64UrlEncode(bytes);
}

Result<PageTokenClaims, std::string> PageTokenCodec::Decode(std::string_view token,
                                                            std::int64_t now_seconds) const {
  const auto bytes = Base64UrlDecode(token);
  if (!bytes) return std::string("not base64url");
  if (bytes->size() <= kEnvelopeSize) return std::string("too short");
  if (bytes->size() > kMaxTokenBytes) return std::string("too long");
  const auto* in = reinterpret_cast<const unsigned char*>(bytes->data());
  if (in[0] != kFormatVersion) return std::string("unknown version");
  const unsigned char* const nonce = in + 1;
  const unsigned char* const sealed = nonce + kNonceSize;
  const std::size_t record_size = bytes->size() - kEnvelopeSize;
  const unsigned char* const tag = sealed + record_size;

  std::string record(record_size, '\0');
  auto* plain = reinterpret_cast<unsigned char*>(record.data());
  const CipherCtx ctx = CopyOf(keys_->decrypt);
  int length = 0;
  if (!ctx || EVP_DecryptInit_ex2(ctx.get(), nullptr, nullptr, nonce, nullptr) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, in, 1) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain, &length, sealed, static_cast<int>(record_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                          const_cast<unsigned char*>(tag)) != 1) {
    return std::string("OpenSSL failed to open the token");
  }
  // The tag check: the only one that needs the key, after which the record is known to be ours.
  if (EVP_DecryptFinal_ex(ctx.get(), plain + length, &length) != 1) {
    return std::string("signature mismatch: tampered with or signed with another secret");
  }
  auto claims = ParseTokenRecord(record);
  // Only a record sealed with our key but not made by Encode gets here (tests, the fuzzer).
  if (!claims) return std::string("malformed record");
  if (ttl_ && OlderThan(claims->issued_at_seconds, now_seconds, ttl_->count())) {
    return std::string("expired");
  }
  return std::move(*claims);
}

}  // namespace datazone_mock

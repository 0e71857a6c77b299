#pragma once

#include <memory>

#include "api/page_token.h"
#include "core/aws_error.h"
#include "core/clock.h"
#include "core/http_message.h"
#include "core/random_source.h"
#include "store/store.h"

namespace datazone_mock {

// The AWS side of the mock: turns an HttpRequest into the HttpResponse AWS would give, in
// wire.md's order of checks. Knows nothing of sockets or HTTP libraries.
// Thread-safe: all state it reads is immutable or guarded by its owner.
class MockService {
 public:
  MockService(std::shared_ptr<StoreSnapshot> store, std::shared_ptr<const PageTokenCodec> tokens,
              std::shared_ptr<const Clock> clock, std::shared_ptr<RandomSource> random);

  HttpResponse Handle(const HttpRequest& request) const;

  // The response for an error: status, x-amzn-ErrorType, JSON body and the common headers.
  HttpResponse ErrorResponse(const AwsError& error) const;

  const StoreSnapshot& store() const { return *store_; }

 private:
  // Headers on every response: Content-Type, x-amzn-RequestId, Date.
  HttpResponse NewResponse(int status) const;

  std::shared_ptr<StoreSnapshot> store_;
  std::shared_ptr<const PageTokenCodec> tokens_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<RandomSource> random_;
};

}  // namespace datazone_mock

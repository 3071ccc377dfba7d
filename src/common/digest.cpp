// SPDX-License-Identifier: Apache-2.0
#include "common/digest.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

namespace goinstr {

struct Sha256::State {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr);
}

Sha256::~Sha256() = default;

Sha256& Sha256::add(std::string_view part) {
  uint64_t size = part.size();
  EVP_DigestUpdate(state_->ctx, &size, sizeof size);
  EVP_DigestUpdate(state_->ctx, part.data(), part.size());
  return *this;
}

std::string Sha256::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(state_->ctx, md.data(), &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xf]);
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.add(data);
  return h.hex();
}

}  // namespace goinstr

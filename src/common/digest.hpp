// SPDX-License-Identifier: Apache-2.0
// SHA-256 (OpenSSL's libcrypto) for content-addressed cache keys: a woven file's name is the
// digest of everything that decides its text, so a build never sees a stale one.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace goinstr {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Adds the length first, so ("ab","c") and ("a","bc") differ.
  Sha256& add(std::string_view part);
  std::string hex();  // finishes; the object is not reusable afterwards

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string sha256_hex(std::string_view data);

}  // namespace goinstr

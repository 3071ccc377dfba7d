// SPDX-License-Identifier: Apache-2.0
// Bump allocator for AST nodes. A file's nodes live and die together, so there is no per-node
// free; nodes are trivially destructible (string_views into the source, spans into the arena),
// and nothing needs running at teardown. Blocks never move, so moving an Arena keeps every
// pointer into it valid.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <vector>

namespace goinstr::gosrc {

class Arena {
 public:
  Arena() = default;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(size_t size, size_t align) {
    size_t at = (used_ + align - 1) & ~(align - 1);
    if (blocks_.empty() || at + size > capacity_) {
      grow(size + align);
      at = (used_ + align - 1) & ~(align - 1);
    }
    used_ = at + size;
    return blocks_.back().get() + at;
  }

  template <typename T>
  T* make() {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return new (allocate(sizeof(T), alignof(T))) T{};
  }

  // Copies `items` into the arena; the span stays valid as long as the arena.
  template <typename T>
  std::span<T> copy(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (items.empty()) return {};
    auto* out = static_cast<T*>(allocate(items.size_bytes(), alignof(T)));
    std::memcpy(out, items.data(), items.size_bytes());
    return {out, items.size()};
  }

  size_t bytes_allocated() const { return total_; }

 private:
  static constexpr size_t kBlockSize = size_t{64} * 1024;

  void grow(size_t at_least) {
    capacity_ = at_least > kBlockSize ? at_least : kBlockSize;
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(capacity_));
    used_ = 0;
    total_ += capacity_;
  }

  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  size_t used_ = 0;
  size_t capacity_ = 0;
  size_t total_ = 0;
};

}  // namespace goinstr::gosrc

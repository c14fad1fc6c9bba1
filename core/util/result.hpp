// `Result<T, E>`: an expected-like return type. Errors are values; no
// exception ever crosses the core API (house style §11).
//
// A tagged union rather than std::variant<T, E>: every Result type is
// destroyed, moved and copied all over the core, and libc++'s variant does
// each of those through a table of function pointers per instantiation
// (~10 KB of sip-core.wasm across the Result types). Here they are a branch
// the compiler can inline or fold.
#pragma once
#include <cassert>
#include <new>
#include <type_traits>
#include <utility>

namespace wwp {

template <class E>
struct Err {
  E error;
};
template <class E>
Err<std::decay_t<E>> err(E&& e) {
  return {std::forward<E>(e)};
}

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : ok_(true) { new (&value_) T(std::move(value)); }  // NOLINT
  Result(Err<E> e) : ok_(false) { new (&error_) E(std::move(e.error)); }  // NOLINT

  Result(const Result& o) : ok_(o.ok_) { construct_from(o); }
  Result(Result&& o) noexcept(std::is_nothrow_move_constructible_v<T> && std::is_nothrow_move_constructible_v<E>)
      : ok_(o.ok_) {
    construct_from(std::move(o));
  }
  Result& operator=(const Result& o) {
    if (this != &o) {
      destroy();
      ok_ = o.ok_;
      construct_from(o);
    }
    return *this;
  }
  Result& operator=(Result&& o) noexcept(std::is_nothrow_move_constructible_v<T> &&
                                         std::is_nothrow_move_constructible_v<E>) {
    if (this != &o) {
      destroy();
      ok_ = o.ok_;
      construct_from(std::move(o));
    }
    return *this;
  }
  ~Result() { destroy(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return value_; }
  const T& value() const& { assert(ok()); return value_; }
  T&& value() && { assert(ok()); return std::move(value_); }
  const E& error() const { assert(!ok()); return error_; }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  template <class R>
  void construct_from(R&& o) {
    if (ok_) new (&value_) T(std::forward<R>(o).value_);
    else new (&error_) E(std::forward<R>(o).error_);
  }
  void destroy() {
    if (ok_) value_.~T();
    else error_.~E();
  }

  union {
    T value_;
    E error_;
  };
  bool ok_;
};

}  // namespace wwp

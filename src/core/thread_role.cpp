#include "core/thread_role.hpp"

#include <pthread.h>

#include <stdexcept>
#include <string>

namespace corphub::core {
namespace {
thread_local bool t_io_thread = false;
}

void MarkIoThread() { t_io_thread = true; }
bool IsIoThread() { return t_io_thread; }

void AssertNotIoThread(std::string_view what) {
  if (t_io_thread) {
    throw std::logic_error("blocking call on an I/O thread: " + std::string(what) +
                           " (wrap it in Offload)");
  }
}

void NameThread(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace corphub::core

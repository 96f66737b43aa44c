#pragma once
// Marks I/O threads so that blocking work (database calls) reached from one is caught at once.
#include <string_view>

namespace corphub::core {

void MarkIoThread();
bool IsIoThread();
// Throws std::logic_error naming `what` when called on an I/O thread: a bug, never user input.
void AssertNotIoThread(std::string_view what);
// Names the calling thread for top, perf and gdb (at most 15 characters are kept).
void NameThread(const char* name);

}  // namespace corphub::core

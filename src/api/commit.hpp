#pragma once
// Awaiting a group commit from a handler: the coroutine resumes on its own executor once the
// work's transaction is durable (or failed). `after` runs on the writer thread right after a
// successful commit, before the handler resumes (live delivery starts there, never blocking).
#include <boost/asio/awaitable.hpp>
#include <functional>

#include "messaging/send_service.hpp"

namespace corphub::api {

// Defined out of line: GCC 12 misreads an inlined coroutine's frame deallocation.
boost::asio::awaitable<core::Status> Commit(messaging::Committer& committer,
                                            messaging::Committer::Work work, std::size_t weight,
                                            std::function<void()> after = {});

}  // namespace corphub::api

#pragma once
// Awaiting a group commit from a handler: the coroutine resumes on its own executor once the
// work's transaction is durable (or failed). `after` runs after a successful commit on the
// committer's publishing thread, in commit order, while the handler answers (live delivery
// starts there). It may outlive the handler: it must own what it uses (no references to the
// handler's locals).
#include <boost/asio/awaitable.hpp>
#include <functional>

#include "messaging/send_service.hpp"

namespace corphub::api {

// Defined out of line: GCC 12 misreads an inlined coroutine's frame deallocation.
boost::asio::awaitable<core::Status> Commit(messaging::Committer& committer,
                                            messaging::Committer::Work work, std::size_t weight,
                                            std::function<void()> after = {});

}  // namespace corphub::api

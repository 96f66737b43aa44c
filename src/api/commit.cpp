#include "api/commit.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <optional>

namespace corphub::api {

boost::asio::awaitable<core::Status> Commit(messaging::Committer& committer,
                                            messaging::Committer::Work work, std::size_t weight,
                                            std::function<void()> after) {
  std::optional<core::Status> result;
  co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
      [&](auto handler) {
        auto resume_on = boost::asio::get_associated_executor(handler);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        committer.Submit(
            std::move(work),
            [&result, &committer, after = std::move(after), shared,
             resume_on](core::Status status) mutable {
              if (status && after) committer.AfterCommit(std::move(after));
              result.emplace(std::move(status));
              boost::asio::post(resume_on, std::move(*shared));
            },
            weight);
      },
      boost::asio::use_awaitable);
  co_return std::move(*result);
}

}  // namespace corphub::api

#pragma once
// Where committed inbox events go for live delivery (the WebSocket hub; a bus across nodes
// later). Live delivery is a courtesy: the inbox is the truth, and a client that missed an event
// reads it after the last sequence number it saw.
#include <memory>
#include <string>
#include <vector>

#include "messaging/message.hpp"

namespace corphub::messaging {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // `event` is the event's JSON object without its "seq"; each member's copy gets theirs.
  // Called on the thread that committed the events; must not block.
  virtual void Publish(std::shared_ptr<const std::string> event,
                       const std::vector<Delivery>& to) = 0;
  // Which of the members are listening now (only their numbers need reading). A member who
  // starts listening after this reads the committed event from the inbox.
  virtual std::vector<std::int64_t> Listening(const std::vector<std::int64_t>& members) = 0;
};

}  // namespace corphub::messaging

#include "callback/callback.hpp"

namespace corphub::callback {

std::string_view DeliveryStateName(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kFailed:
      return "failed";
  }
  return "pending";
}

bool ParseDeliveryState(std::string_view name, DeliveryState& out) {
  for (auto s : {DeliveryState::kPending, DeliveryState::kDelivered, DeliveryState::kFailed}) {
    if (DeliveryStateName(s) == name) {
      out = s;
      return true;
    }
  }
  return false;
}

}  // namespace corphub::callback

#include "net/router.hpp"

namespace corphub::net {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= path.size()) {
    auto slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > i) parts.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return parts;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  Entry e;
  for (auto part : Split(pattern)) e.segments.emplace_back(part);
  e.route = Route{std::move(method), std::move(pattern), std::move(handler), nullptr};
  entries_.push_back(std::move(e));
}

void Router::AddWebSocket(std::string pattern, WebSocketHandler handler) {
  Entry e;
  for (auto part : Split(pattern)) e.segments.emplace_back(part);
  e.route = Route{"GET", std::move(pattern), nullptr, std::move(handler)};
  entries_.push_back(std::move(e));
}

// Segment by segment, a literal (3) beats a parameter (2), which beats the wildcard (1); the
// first segment that differs decides. Empty: no match.
std::vector<int> Router::Score(const Entry& e, const std::vector<std::string_view>& parts,
                               std::map<std::string, std::string>* params) {
  std::vector<int> score;
  const auto& segs = e.segments;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& seg = segs[i];
    if (seg == "*" && i + 1 == segs.size()) {
      if (params) {
        std::string rest;
        for (std::size_t j = i; j < parts.size(); ++j) {
          if (!rest.empty()) rest += '/';
          rest += parts[j];
        }
        (*params)["*"] = rest;
      }
      score.push_back(1);
      return score;
    }
    if (i >= parts.size()) return {};
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (params) (*params)[seg.substr(1, seg.size() - 2)] = std::string(parts[i]);
      score.push_back(2);
    } else if (seg == parts[i]) {
      score.push_back(3);
    } else {
      return {};
    }
  }
  if (parts.size() != segs.size()) return {};
  score.push_back(3);  // an exact end beats a wildcard standing for nothing
  return score;
}

Match Router::Find(std::string_view method, std::string_view path, Request& request) const {
  auto parts = Split(path);
  const Entry* best = nullptr;
  std::vector<int> best_score;
  std::string allow;
  for (const auto& e : entries_) {
    auto score = Score(e, parts, nullptr);
    if (score.empty()) continue;
    bool method_ok = e.route.method == "*" || e.route.method == method ||
                     (method == "HEAD" && e.route.method == "GET");
    if (!method_ok) {
      if (allow.find(e.route.method) == std::string::npos) {
        allow += (allow.empty() ? "" : ", ") + e.route.method;
      }
      continue;
    }
    if (best == nullptr || score > best_score) {
      best = &e;
      best_score = score;
    }
  }
  Match m;
  if (best != nullptr) {
    Score(*best, parts, &request.params);
    m.route = &best->route;
  } else if (!allow.empty()) {
    m.method_not_allowed = true;
    m.allow = std::move(allow);
  }
  return m;
}

std::vector<std::pair<std::string, std::string>> Router::Patterns() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.emplace_back(e.route.method, e.route.pattern);
  return out;
}

}  // namespace corphub::net

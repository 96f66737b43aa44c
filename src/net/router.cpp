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

// Higher is a better match; -1 is no match. Literals count 3, parameters 2, the wildcard 1.
int Router::Score(const Entry& e, const std::vector<std::string_view>& parts,
                  std::map<std::string, std::string>* params) {
  int score = 0;
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
      return score * 4 + 1;
    }
    if (i >= parts.size()) return -1;
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (params) (*params)[seg.substr(1, seg.size() - 2)] = std::string(parts[i]);
      score = score * 4 + 2;
    } else if (seg == parts[i]) {
      score = score * 4 + 3;
    } else {
      return -1;
    }
  }
  return parts.size() == segs.size() ? score * 4 + 3 : -1;
}

Match Router::Find(std::string_view method, std::string_view path, Request& request) const {
  auto parts = Split(path);
  const Entry* best = nullptr;
  int best_score = -1;
  std::string allow;
  for (const auto& e : entries_) {
    int score = Score(e, parts, nullptr);
    if (score < 0) continue;
    bool method_ok = e.route.method == "*" || e.route.method == method ||
                     (method == "HEAD" && e.route.method == "GET");
    if (!method_ok) {
      if (allow.find(e.route.method) == std::string::npos) {
        allow += (allow.empty() ? "" : ", ") + e.route.method;
      }
      continue;
    }
    if (score > best_score) {
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

}  // namespace corphub::net

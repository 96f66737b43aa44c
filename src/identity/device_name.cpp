#include "identity/device_name.hpp"

#include <array>
#include <utility>

namespace corphub::identity {

std::string DeviceName(std::string_view ua) {
  auto has = [&](std::string_view s) { return ua.find(s) != std::string_view::npos; };
  // Order matters: Edge and WeChat say "Chrome" too, Chrome says "Safari", iPad says "Mac".
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kBrowsers = {{
      {"wxwork", "WeCom"},
      {"MicroMessenger", "WeChat"},
      {"Edg/", "Edge"},
      {"OPR/", "Opera"},
      {"Firefox/", "Firefox"},
      {"Chromium/", "Chromium"},
      {"Chrome/", "Chrome"},
      {"Safari/", "Safari"},
  }};
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kSystems = {{
      {"Android", "Android"},
      {"iPhone", "iPhone"},
      {"iPad", "iPad"},
      {"Windows", "Windows"},
      {"Mac OS X", "macOS"},
      {"CrOS", "ChromeOS"},
      {"Linux", "Linux"},
  }};
  std::string_view browser, system;
  for (const auto& [mark, name] : kBrowsers) {
    if (has(mark)) {
      browser = name;
      break;
    }
  }
  for (const auto& [mark, name] : kSystems) {
    if (has(mark)) {
      system = name;
      break;
    }
  }
  if (browser.empty() && system.empty()) {
    std::string s(ua.substr(0, 40));
    return s.empty() ? "unknown" : s;
  }
  if (browser.empty()) return std::string(system);
  if (system.empty()) return std::string(browser);
  return std::string(browser) + " on " + std::string(system);
}

}  // namespace corphub::identity

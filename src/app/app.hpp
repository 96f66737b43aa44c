#pragma once
// The composition root: builds every object in order and runs one CLI command.
// Each command returns the process exit code; errors are printed as one "corphub: ..." line.
#include <optional>
#include <string>

#include "config/config.hpp"

namespace corphub::app {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // the environment: database unreachable, port in use
constexpr int kExitUsage = 2;    // the operator's input: bad config, bad arguments

struct ServeFlags {
  std::optional<std::string> port_file;  // written with the bound port once listening
};

int Serve(const config::Config& config, const ServeFlags& flags);
int Migrate(const config::Config& config);
// Prints the organisation's corpid and contacts-sync secret (creating them on first use).
int ShowCorp(const config::Config& config, bool json);
// Reads the password from standard input when password_stdin, else generates and prints one.
int CreateAdmin(const config::Config& config, const std::string& username, bool password_stdin);
// Turns an administrator's two-step login (TOTP) off, for one who lost the app and the codes.
int ResetAdminTotp(const config::Config& config, const std::string& username);

struct AppFlags {
  std::string name;
  std::string description;
  int retention_days = 5;
  bool json = false;
};
// Creates an app visible to the whole organisation and prints its agentid and secret (once).
int CreateApp(const config::Config& config, const AppFlags& flags);
int ListApps(const config::Config& config, bool json);
// Gives the app a new secret and prints it (once). The old secret stops working for gettoken and
// every token it gave is refused, by a running server within its app guard's 5 seconds.
int ResetAppSecret(const config::Config& config, std::int64_t agentid, bool json);

std::string Version();

}  // namespace corphub::app

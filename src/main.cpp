// corphub: parse the command line, load the configuration, run one command.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/app.hpp"
#include "config/config.hpp"

namespace {

using corphub::app::kExitUsage;

struct Common {
  std::optional<std::string> config_file;
  std::optional<std::string> listen;
  std::optional<std::string> data;
};

corphub::core::Result<corphub::config::Config> LoadConfig(const Common& common) {
  corphub::config::LoadOptions o;
  o.file = common.config_file;
  o.env = corphub::config::ProcessEnvironment();
  o.listen_override = common.listen;
  o.data_override = common.data;
  return corphub::config::Load(o);
}

void AddConfigFlags(CLI::App* cmd, Common& common) {
  cmd->add_option("-c,--config", common.config_file, "TOML configuration file")
      ->check(CLI::ExistingFile);
  cmd->add_option("--data", common.data, "data directory (server.data_dir)");
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App cli{"corphub — self-hosted enterprise messaging and app-integration hub"};
  cli.require_subcommand(1);
  Common common;
  corphub::app::ServeFlags serve_flags;
  std::string username;
  bool password_stdin = false;

  auto* serve = cli.add_subcommand("serve", "run the server");
  AddConfigFlags(serve, common);
  serve->add_option("--listen", common.listen, "HOST:PORT to listen on (port 0: any free port)");
  serve->add_option("--port-file", serve_flags.port_file, "write the bound port to this file");

  auto* migrate = cli.add_subcommand("migrate", "apply database migrations and exit");
  AddConfigFlags(migrate, common);

  auto* check = cli.add_subcommand("check-config", "validate the configuration and exit");
  AddConfigFlags(check, common);

  auto* admin = cli.add_subcommand("admin", "manage administrators");
  admin->require_subcommand(1);
  auto* create = admin->add_subcommand("create", "create a super admin");
  AddConfigFlags(create, common);
  create->add_option("--username", username, "login name")->required();
  create->add_flag("--password-stdin", password_stdin,
                   "read the password from standard input (else one is generated and printed)");

  auto* reset_totp =
      admin->add_subcommand("reset-totp", "turn an administrator's two-step login (TOTP) off");
  AddConfigFlags(reset_totp, common);
  reset_totp->add_option("--username", username, "login name")->required();

  bool json = false;
  auto* corp = cli.add_subcommand("corp", "the organisation");
  corp->require_subcommand(1);
  auto* corp_show = corp->add_subcommand("show", "print the corpid and the contacts-sync secret");
  AddConfigFlags(corp_show, common);
  corp_show->add_flag("--json", json, "print one JSON object");

  corphub::app::AppFlags app_flags;
  bool apps_json = false;
  auto* app = cli.add_subcommand("app", "apps that internal systems send messages through");
  app->require_subcommand(1);
  auto* app_create = app->add_subcommand("create", "create an app; prints its agentid and secret");
  AddConfigFlags(app_create, common);
  app_create->add_option("--name", app_flags.name, "the app's name (1 to 32 characters)")
      ->required();
  app_create->add_option("--description", app_flags.description, "what the app is for");
  app_create->add_option("--retention-days", app_flags.retention_days,
                         "days its messages are kept unless a send asks to keep one (0: forever)");
  app_create->add_flag("--json", app_flags.json, "print one JSON object");
  auto* app_list = app->add_subcommand("list", "list the apps");
  AddConfigFlags(app_list, common);
  app_list->add_flag("--json", apps_json, "print one JSON object");

  std::int64_t reset_agentid = 0;
  auto* app_reset = app->add_subcommand(
      "reset-secret", "give an app a new secret (printed once); the old one and its tokens stop");
  AddConfigFlags(app_reset, common);
  app_reset->add_option("--agentid", reset_agentid, "the app's agentid")->required();
  app_reset->add_flag("--json", apps_json, "print one JSON object");

  auto* version = cli.add_subcommand("version", "print the version");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (*version) {
    std::cout << "corphub " << corphub::app::Version() << std::endl;
    return 0;
  }
  auto config = LoadConfig(common);
  if (!config) {
    std::cerr << "corphub: " << config.error().message << std::endl;
    return kExitUsage;
  }
  if (*check) {
    std::cout << "configuration ok" << std::endl;
    return 0;
  }
  if (*serve) return corphub::app::Serve(*config, serve_flags);
  if (*migrate) return corphub::app::Migrate(*config);
  if (*corp_show) return corphub::app::ShowCorp(*config, json);
  if (*app_create) return corphub::app::CreateApp(*config, app_flags);
  if (*app_list) return corphub::app::ListApps(*config, apps_json);
  if (*app_reset) return corphub::app::ResetAppSecret(*config, reset_agentid, apps_json);
  if (*reset_totp) return corphub::app::ResetAdminTotp(*config, username);
  return corphub::app::CreateAdmin(*config, username, password_stdin);
}

int main(int argc, char** argv) {
  // Expected failures are values; what arrives here is a broken environment or a bug, and it
  // still gets one readable line rather than an abort.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "corphub: unexpected error: " << e.what() << std::endl;
  } catch (...) {
    std::cerr << "corphub: unexpected error" << std::endl;
  }
  return corphub::app::kExitFailure;
}

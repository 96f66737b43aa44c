#include "core/error.hpp"

#include <array>
#include <cstddef>

namespace corphub::core {
namespace {

struct Row {
  ErrorKind kind;
  ErrorInfo info;
};

// The single mapping from error kinds to WeCom errcodes (reference §1) and HTTP statuses.
constexpr std::array kTable = {
    Row{ErrorKind::kInvalidArgument, {40058, 400, "invalid_argument"}},
    Row{ErrorKind::kNotFound, {46004, 404, "not_found"}},
    Row{ErrorKind::kAlreadyExists, {60008, 409, "already_exists"}},
    Row{ErrorKind::kConflict, {40058, 409, "conflict"}},
    Row{ErrorKind::kPermissionDenied, {60011, 403, "permission_denied"}},
    Row{ErrorKind::kUnauthenticated, {40014, 401, "unauthenticated"}},
    Row{ErrorKind::kTooLarge, {45002, 413, "too_large"}},
    Row{ErrorKind::kRateLimited, {45009, 429, "rate_limited"}},
    Row{ErrorKind::kUnavailable, {-1, 503, "unavailable"}},
    Row{ErrorKind::kInternal, {-1, 500, "internal"}},
    Row{ErrorKind::kSchemaTooNew, {-1, 500, "schema_too_new"}},
    Row{ErrorKind::kApiNotFound, {48005, 404, "api_not_found"}},
    Row{ErrorKind::kMissingAccessToken, {41001, 401, "missing_access_token"}},
    Row{ErrorKind::kInvalidAccessToken, {40014, 401, "invalid_access_token"}},
    Row{ErrorKind::kExpiredAccessToken, {42001, 401, "expired_access_token"}},
    Row{ErrorKind::kMissingCorpId, {41002, 400, "missing_corpid"}},
    Row{ErrorKind::kInvalidCorpId, {40013, 400, "invalid_corpid"}},
    Row{ErrorKind::kMissingSecret, {41004, 400, "missing_secret"}},
    Row{ErrorKind::kInvalidSecret, {40001, 401, "invalid_secret"}},
    Row{ErrorKind::kInvalidParameter, {40058, 400, "invalid_parameter"}},
    Row{ErrorKind::kInvalidJson, {47001, 400, "invalid_json"}},
    Row{ErrorKind::kDepartmentNameLength, {60001, 400, "department_name_length"}},
    Row{ErrorKind::kDepartmentNotFound, {60003, 404, "department_not_found"}},
    Row{ErrorKind::kParentNotFound, {60004, 400, "parent_department_not_found"}},
    Row{ErrorKind::kDepartmentHasMembers, {60005, 409, "department_has_members"}},
    Row{ErrorKind::kDepartmentHasChildren, {60006, 409, "department_has_children"}},
    Row{ErrorKind::kCannotDeleteRoot, {60007, 409, "cannot_delete_root"}},
    Row{ErrorKind::kDepartmentExists, {60008, 409, "department_exists"}},
    Row{ErrorKind::kDepartmentNameChars, {60009, 400, "department_name_chars"}},
    Row{ErrorKind::kDepartmentCycle, {60010, 409, "department_cycle"}},
    Row{ErrorKind::kInvalidDepartmentId, {60123, 400, "invalid_department_id"}},
    Row{ErrorKind::kMissingUserId, {41009, 400, "missing_userid"}},
    Row{ErrorKind::kInvalidUserId, {40003, 400, "invalid_userid"}},
    Row{ErrorKind::kUserIdExists, {60102, 409, "userid_exists"}},
    Row{ErrorKind::kUserNotFound, {60111, 404, "user_not_found"}},
    Row{ErrorKind::kMemberNameInvalid, {60112, 400, "member_name_invalid"}},
    Row{ErrorKind::kMobileInvalid, {60103, 400, "mobile_invalid"}},
    Row{ErrorKind::kMobileExists, {60104, 409, "mobile_exists"}},
    Row{ErrorKind::kEmailInvalid, {60105, 400, "email_invalid"}},
    Row{ErrorKind::kEmailExists, {60106, 409, "email_exists"}},
    Row{ErrorKind::kMissingDepartment, {60127, 400, "missing_department"}},
    Row{ErrorKind::kInvalidDepartmentList, {40066, 400, "invalid_department_list"}},
    Row{ErrorKind::kPositionInvalid, {301012, 400, "position_invalid"}},
    Row{ErrorKind::kMobileOrEmailRequired, {60129, 400, "mobile_or_email_required"}},
    Row{ErrorKind::kMemberLimit, {45024, 409, "member_limit"}},
    Row{ErrorKind::kInvalidUserIdList, {40031, 400, "invalid_userid_list"}},
    Row{ErrorKind::kInvalidOpenId, {40073, 400, "invalid_openid"}},
    Row{ErrorKind::kInvalidTagId, {40068, 400, "invalid_tag_id"}},
    Row{ErrorKind::kAllTargetsInvalid, {40070, 400, "all_targets_invalid"}},
    Row{ErrorKind::kTagNameExists, {40071, 409, "tag_name_exists"}},
    Row{ErrorKind::kTagNameLength, {40072, 400, "tag_name_length"}},
    Row{ErrorKind::kInvalidMediaFileType, {40004, 400, "invalid_media_file_type"}},
    Row{ErrorKind::kInvalidMediaType, {40005, 400, "invalid_media_type"}},
    Row{ErrorKind::kInvalidMediaSize, {40006, 400, "invalid_media_size"}},
    Row{ErrorKind::kInvalidMediaId, {40007, 404, "invalid_media_id"}},
    Row{ErrorKind::kMissingMediaId, {41006, 400, "missing_media_id"}},
    Row{ErrorKind::kEmptyMedia, {44001, 400, "empty_media"}},
    Row{ErrorKind::kMediaTooLarge, {45001, 413, "media_too_large"}},
    Row{ErrorKind::kInvalidJobId, {40058, 404, "invalid_jobid"}},
    Row{ErrorKind::kMassDeletion, {45026, 409, "mass_deletion"}},
    Row{ErrorKind::kBatchFileInvalid, {40058, 400, "batch_file_invalid"}},
    Row{ErrorKind::kStopping, {-1, 503, "stopping"}},
    Row{ErrorKind::kInvalidCredentials, {40001, 401, "invalid_credentials"}},
    Row{ErrorKind::kLoginLocked, {45009, 429, "login_locked"}},
    Row{ErrorKind::kCsrfMismatch, {-1, 403, "csrf_mismatch"}},
    Row{ErrorKind::kImportFileInvalid, {40058, 400, "import_file_invalid"}},
    Row{ErrorKind::kInvalidMsgType, {40008, 400, "invalid_msgtype"}},
    Row{ErrorKind::kEmptyContent, {44004, 400, "empty_content"}},
    Row{ErrorKind::kContentTooLong, {45002, 400, "content_too_long"}},
    Row{ErrorKind::kMissingTitle, {41016, 400, "missing_title"}},
    Row{ErrorKind::kNewsSafeUnsupported, {40074, 400, "news_safe_unsupported"}},
    Row{ErrorKind::kNoValidRecipient, {81013, 400, "no_valid_recipient"}},
    Row{ErrorKind::kInvalidAgentId, {40056, 404, "invalid_agentid"}},
    Row{ErrorKind::kMissingAgentId, {41011, 400, "missing_agentid"}},
    Row{ErrorKind::kApiForbidden, {48002, 403, "api_forbidden"}},
    Row{ErrorKind::kAppPermissionDenied, {301002, 403, "app_permission_denied"}},
    Row{ErrorKind::kAppDisabled, {50003, 403, "app_disabled"}},
    Row{ErrorKind::kInvalidMsgId, {40058, 404, "invalid_msgid"}},
    Row{ErrorKind::kRecallExpired, {40058, 409, "recall_expired"}},
    Row{ErrorKind::kInvalidChatId, {86001, 404, "invalid_chatid"}},
    Row{ErrorKind::kNoMatch, {60111, 404, "no_match"}},
    Row{ErrorKind::kAccountUnavailable, {60111, 403, "account_unavailable"}},
    Row{ErrorKind::kWrongCode, {40058, 400, "wrong_code"}},
    Row{ErrorKind::kCodeExpired, {40058, 400, "code_expired"}},
    Row{ErrorKind::kDeliveryFailed, {-1, 502, "delivery_failed"}},
    Row{ErrorKind::kChannelUnavailable, {-1, 503, "channel_unavailable"}},
    Row{ErrorKind::kPendingApproval, {-1, 403, "pending_approval"}},
    Row{ErrorKind::kRegistrationClosed, {-1, 403, "registration_closed"}},
    Row{ErrorKind::kTotpRequired, {-1, 401, "totp_required"}},
    Row{ErrorKind::kTotpInvalid, {-1, 401, "totp_invalid"}},
    Row{ErrorKind::kTooManyConcurrent, {45033, 429, "too_many_concurrent"}},
    Row{ErrorKind::kIpNotAllowed, {60020, 403, "ip_not_allowed"}},
    Row{ErrorKind::kPasswordChangeRequired, {-1, 403, "password_change_required"}},
    Row{ErrorKind::kMenuButtonType, {40015, 400, "menu_button_type"}},
    Row{ErrorKind::kMenuButtonCount, {40016, 400, "menu_button_count"}},
    Row{ErrorKind::kMenuSubButtonCount, {40017, 400, "menu_sub_button_count"}},
    Row{ErrorKind::kMenuNameLength, {40018, 400, "menu_name_length"}},
    Row{ErrorKind::kMenuKeyLength, {40019, 400, "menu_key_length"}},
    Row{ErrorKind::kMenuLevel, {40022, 400, "menu_level"}},
    Row{ErrorKind::kMenuUrl, {40054, 400, "menu_url"}},
    Row{ErrorKind::kMenuNotSet, {46003, 404, "menu_not_set"}},
    Row{ErrorKind::kAppNameLength, {45022, 400, "app_name_length"}},
    Row{ErrorKind::kCallbackUrlInvalid, {40057, 400, "callback_url_invalid"}},
    Row{ErrorKind::kInvalidOAuthCode, {40029, 400, "invalid_code"}},
    Row{ErrorKind::kRedirectUntrusted, {50001, 400, "redirect_untrusted"}},
    Row{ErrorKind::kOutOfAppScope, {50002, 403, "out_of_app_scope"}},
};

constexpr bool TableIsComplete() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<std::size_t>(kTable[i].kind) != i) return false;
  }
  return kTable.size() == static_cast<std::size_t>(kLastErrorKind) + 1;
}
static_assert(TableIsComplete(), "kTable must list every ErrorKind once, in declaration order");

}  // namespace

const ErrorInfo& InfoOf(ErrorKind kind) { return kTable[static_cast<std::size_t>(kind)].info; }

}  // namespace corphub::core

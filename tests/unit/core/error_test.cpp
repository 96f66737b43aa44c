#include "core/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace corphub::core {
namespace {

struct Expected {
  ErrorKind kind;
  int wecom_code;
  int http_status;
  const char* code;
};

// WeCom codes from the comments in error.hpp (and the WeCom errcode reference); HTTP statuses
// are what a JSON API client should see for each kind.
constexpr Expected kExpected[] = {
    {ErrorKind::kInvalidArgument, 40058, 400, "invalid_argument"},
    {ErrorKind::kNotFound, 46004, 404, "not_found"},
    {ErrorKind::kAlreadyExists, 60008, 409, "already_exists"},
    {ErrorKind::kConflict, 40058, 409, "conflict"},
    {ErrorKind::kPermissionDenied, 60011, 403, "permission_denied"},
    {ErrorKind::kUnauthenticated, 40014, 401, "unauthenticated"},
    {ErrorKind::kTooLarge, 45002, 413, "too_large"},
    {ErrorKind::kRateLimited, 45009, 429, "rate_limited"},
    {ErrorKind::kUnavailable, -1, 503, "unavailable"},
    {ErrorKind::kInternal, -1, 500, "internal"},
    {ErrorKind::kSchemaTooNew, -1, 500, "schema_too_new"},
    {ErrorKind::kApiNotFound, 48005, 404, "api_not_found"},
    {ErrorKind::kMissingAccessToken, 41001, 401, "missing_access_token"},
    {ErrorKind::kInvalidAccessToken, 40014, 401, "invalid_access_token"},
    {ErrorKind::kExpiredAccessToken, 42001, 401, "expired_access_token"},
    {ErrorKind::kMissingCorpId, 41002, 400, "missing_corpid"},
    {ErrorKind::kInvalidCorpId, 40013, 400, "invalid_corpid"},
    {ErrorKind::kMissingSecret, 41004, 400, "missing_secret"},
    {ErrorKind::kInvalidSecret, 40001, 401, "invalid_secret"},
    {ErrorKind::kInvalidParameter, 40058, 400, "invalid_parameter"},
    {ErrorKind::kInvalidJson, 47001, 400, "invalid_json"},
    {ErrorKind::kDepartmentNameLength, 60001, 400, "department_name_length"},
    {ErrorKind::kDepartmentNotFound, 60003, 404, "department_not_found"},
    {ErrorKind::kParentNotFound, 60004, 400, "parent_department_not_found"},
    {ErrorKind::kDepartmentHasMembers, 60005, 409, "department_has_members"},
    {ErrorKind::kDepartmentHasChildren, 60006, 409, "department_has_children"},
    {ErrorKind::kCannotDeleteRoot, 60007, 409, "cannot_delete_root"},
    {ErrorKind::kDepartmentExists, 60008, 409, "department_exists"},
    {ErrorKind::kDepartmentNameChars, 60009, 400, "department_name_chars"},
    {ErrorKind::kDepartmentCycle, 60010, 409, "department_cycle"},
    {ErrorKind::kInvalidDepartmentId, 60123, 400, "invalid_department_id"},
    {ErrorKind::kMissingUserId, 41009, 400, "missing_userid"},
    {ErrorKind::kInvalidUserId, 40003, 400, "invalid_userid"},
    {ErrorKind::kUserIdExists, 60102, 409, "userid_exists"},
    {ErrorKind::kUserNotFound, 60111, 404, "user_not_found"},
    {ErrorKind::kMemberNameInvalid, 60112, 400, "member_name_invalid"},
    {ErrorKind::kMobileInvalid, 60103, 400, "mobile_invalid"},
    {ErrorKind::kMobileExists, 60104, 409, "mobile_exists"},
    {ErrorKind::kEmailInvalid, 60105, 400, "email_invalid"},
    {ErrorKind::kEmailExists, 60106, 409, "email_exists"},
    {ErrorKind::kMissingDepartment, 60127, 400, "missing_department"},
    {ErrorKind::kInvalidDepartmentList, 40066, 400, "invalid_department_list"},
    {ErrorKind::kPositionInvalid, 301012, 400, "position_invalid"},
    {ErrorKind::kMobileOrEmailRequired, 60129, 400, "mobile_or_email_required"},
    {ErrorKind::kMemberLimit, 45024, 409, "member_limit"},
    {ErrorKind::kInvalidUserIdList, 40031, 400, "invalid_userid_list"},
    {ErrorKind::kInvalidOpenId, 40073, 400, "invalid_openid"},
    {ErrorKind::kInvalidTagId, 40068, 400, "invalid_tag_id"},
    {ErrorKind::kAllTargetsInvalid, 40070, 400, "all_targets_invalid"},
    {ErrorKind::kTagNameExists, 40071, 409, "tag_name_exists"},
    {ErrorKind::kTagNameLength, 40072, 400, "tag_name_length"},
    {ErrorKind::kInvalidMediaFileType, 40004, 400, "invalid_media_file_type"},
    {ErrorKind::kInvalidMediaType, 40005, 400, "invalid_media_type"},
    {ErrorKind::kInvalidMediaSize, 40006, 400, "invalid_media_size"},
    {ErrorKind::kInvalidMediaId, 40007, 404, "invalid_media_id"},
    {ErrorKind::kMissingMediaId, 41006, 400, "missing_media_id"},
    {ErrorKind::kEmptyMedia, 44001, 400, "empty_media"},
    {ErrorKind::kMediaTooLarge, 45001, 413, "media_too_large"},
    {ErrorKind::kInvalidJobId, 40058, 404, "invalid_jobid"},
    {ErrorKind::kMassDeletion, 45026, 409, "mass_deletion"},
    {ErrorKind::kBatchFileInvalid, 40058, 400, "batch_file_invalid"},
    {ErrorKind::kStopping, -1, 503, "stopping"},
    {ErrorKind::kInvalidCredentials, 40001, 401, "invalid_credentials"},
    {ErrorKind::kLoginLocked, 45009, 429, "login_locked"},
    {ErrorKind::kCsrfMismatch, -1, 403, "csrf_mismatch"},
    {ErrorKind::kImportFileInvalid, 40058, 400, "import_file_invalid"},
    {ErrorKind::kInvalidMsgType, 40008, 400, "invalid_msgtype"},
    {ErrorKind::kEmptyContent, 44004, 400, "empty_content"},
    {ErrorKind::kContentTooLong, 45002, 400, "content_too_long"},
    {ErrorKind::kMissingTitle, 41016, 400, "missing_title"},
    {ErrorKind::kNewsSafeUnsupported, 40074, 400, "news_safe_unsupported"},
    {ErrorKind::kNoValidRecipient, 81013, 400, "no_valid_recipient"},
    {ErrorKind::kInvalidAgentId, 40056, 404, "invalid_agentid"},
    {ErrorKind::kMissingAgentId, 41011, 400, "missing_agentid"},
    {ErrorKind::kApiForbidden, 48002, 403, "api_forbidden"},
    {ErrorKind::kAppPermissionDenied, 301002, 403, "app_permission_denied"},
    {ErrorKind::kAppDisabled, 50003, 403, "app_disabled"},
    {ErrorKind::kInvalidMsgId, 40058, 404, "invalid_msgid"},
    {ErrorKind::kRecallExpired, 40058, 409, "recall_expired"},
    {ErrorKind::kInvalidChatId, 86001, 404, "invalid_chatid"},
    {ErrorKind::kNoMatch, 60111, 404, "no_match"},
    {ErrorKind::kAccountUnavailable, 60111, 403, "account_unavailable"},
    {ErrorKind::kWrongCode, 40058, 400, "wrong_code"},
    {ErrorKind::kCodeExpired, 40058, 400, "code_expired"},
    {ErrorKind::kDeliveryFailed, -1, 502, "delivery_failed"},
    {ErrorKind::kChannelUnavailable, -1, 503, "channel_unavailable"},
    {ErrorKind::kPendingApproval, -1, 403, "pending_approval"},
    {ErrorKind::kRegistrationClosed, -1, 403, "registration_closed"},
    {ErrorKind::kTotpRequired, -1, 401, "totp_required"},
    {ErrorKind::kTotpInvalid, -1, 401, "totp_invalid"},
    {ErrorKind::kTooManyConcurrent, 45033, 429, "too_many_concurrent"},
    {ErrorKind::kIpNotAllowed, 60020, 403, "ip_not_allowed"},
    {ErrorKind::kPasswordChangeRequired, -1, 403, "password_change_required"},
    {ErrorKind::kMenuButtonType, 40015, 400, "menu_button_type"},
    {ErrorKind::kMenuButtonCount, 40016, 400, "menu_button_count"},
    {ErrorKind::kMenuSubButtonCount, 40017, 400, "menu_sub_button_count"},
    {ErrorKind::kMenuNameLength, 40018, 400, "menu_name_length"},
    {ErrorKind::kMenuKeyLength, 40019, 400, "menu_key_length"},
    {ErrorKind::kMenuLevel, 40022, 400, "menu_level"},
    {ErrorKind::kMenuUrl, 40054, 400, "menu_url"},
    {ErrorKind::kMenuNotSet, 46003, 404, "menu_not_set"},
    {ErrorKind::kAppNameLength, 45022, 400, "app_name_length"},
    {ErrorKind::kCallbackUrlInvalid, 40057, 400, "callback_url_invalid"},
    {ErrorKind::kInvalidOAuthCode, 40029, 400, "invalid_code"},
    {ErrorKind::kRedirectUntrusted, 50001, 400, "redirect_untrusted"},
    {ErrorKind::kOutOfAppScope, 50002, 403, "out_of_app_scope"},
};

constexpr int kKindCount = static_cast<int>(kLastErrorKind) + 1;

TEST(ErrorTableTest, EveryKindHasItsWecomCodeAndHttpStatus) {
  ASSERT_EQ(std::size(kExpected), static_cast<std::size_t>(kKindCount));
  for (const auto& e : kExpected) {
    const ErrorInfo& info = InfoOf(e.kind);
    SCOPED_TRACE(e.code);
    EXPECT_EQ(info.wecom_code, e.wecom_code);
    EXPECT_EQ(info.http_status, e.http_status);
    EXPECT_EQ(info.code, e.code);
  }
}

TEST(ErrorTableTest, ErrorAccessorsReadTheTable) {
  for (const auto& e : kExpected) {
    Error err = MakeError(e.kind, "m");
    SCOPED_TRACE(e.code);
    EXPECT_EQ(err.WecomCode(), e.wecom_code);
    EXPECT_EQ(err.HttpStatus(), e.http_status);
    EXPECT_EQ(err.Code(), e.code);
    EXPECT_EQ(err.message, "m");
  }
}

TEST(ErrorTableTest, StatusesAreErrorsAndCodesAreUniqueSnakeCase) {
  std::set<std::string> codes;
  for (int i = 0; i < kKindCount; ++i) {
    const ErrorInfo& info = InfoOf(static_cast<ErrorKind>(i));
    EXPECT_GE(info.http_status, 400) << i;
    EXPECT_LE(info.http_status, 599) << i;
    ASSERT_FALSE(info.code.empty()) << i;
    for (char c : info.code) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << info.code;
    EXPECT_TRUE(codes.insert(std::string(info.code)).second) << "duplicate " << info.code;
  }
}

TEST(ErrorTableTest, ClientErrorsAre4xxAndServerErrors5xx) {
  for (auto kind : {ErrorKind::kUnavailable, ErrorKind::kInternal, ErrorKind::kSchemaTooNew}) {
    EXPECT_GE(InfoOf(kind).http_status, 500) << InfoOf(kind).code;
  }
  for (auto kind : {ErrorKind::kMissingAccessToken, ErrorKind::kInvalidAccessToken,
                    ErrorKind::kExpiredAccessToken, ErrorKind::kUnauthenticated}) {
    EXPECT_EQ(InfoOf(kind).http_status, 401) << InfoOf(kind).code;
  }
}

}  // namespace
}  // namespace corphub::core

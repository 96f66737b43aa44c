#pragma once
// Typed errors and the one table that maps each kind to its WeCom errcode and HTTP status.
#include <string>
#include <string_view>

namespace corphub::core {

// Add a kind here and a row in error.cpp's table; nothing else maps kinds to codes.
enum class ErrorKind {
  kInvalidArgument,        // a field is malformed or out of range
  kNotFound,               // the thing asked for does not exist
  kAlreadyExists,          // a unique key is taken
  kConflict,               // the state forbids the change
  kPermissionDenied,       // authenticated, but not allowed
  kUnauthenticated,        // no or bad credentials
  kTooLarge,               // a body, upload or list is over its limit
  kRateLimited,            // too many calls
  kUnavailable,            // a dependency (database, mail) is down; retry later
  kInternal,               // a bug or broken environment
  kSchemaTooNew,           // the database was migrated by a newer corphub
  kApiNotFound,            // an unknown /cgi-bin endpoint
  kMissingAccessToken,     // WeCom 41001
  kInvalidAccessToken,     // WeCom 40014
  kExpiredAccessToken,     // WeCom 42001
  kMissingCorpId,          // WeCom 41002
  kInvalidCorpId,          // WeCom 40013
  kMissingSecret,          // WeCom 41004
  kInvalidSecret,          // WeCom 40001
  kInvalidParameter,       // WeCom 40058: a required field is missing or malformed on /cgi-bin
  kInvalidJson,            // WeCom 47001: the body is not the JSON object the endpoint takes
  kDepartmentNameLength,   // WeCom 60001: name is empty or longer than 64 characters
  kDepartmentNotFound,     // WeCom 60003
  kParentNotFound,         // WeCom 60004
  kDepartmentHasMembers,   // WeCom 60005
  kDepartmentHasChildren,  // WeCom 60006
  kCannotDeleteRoot,       // WeCom 60007
  kDepartmentExists,       // WeCom 60008: the id is taken, or a sibling has the name
  kDepartmentNameChars,    // WeCom 60009: name holds one of \ : * ? " < > |
  kDepartmentCycle,        // WeCom 60010: a department cannot move under itself
  kInvalidDepartmentId,    // WeCom 60123
  kMissingUserId,          // WeCom 41009
  kInvalidUserId,          // WeCom 40003: not 1-64 of [0-9A-Za-z_-@.] starting alphanumeric
  kUserIdExists,           // WeCom 60102
  kUserNotFound,           // WeCom 60111
  kMemberNameInvalid,      // WeCom 60112: name empty or over 64 characters
  kMobileInvalid,          // WeCom 60103
  kMobileExists,           // WeCom 60104
  kEmailInvalid,           // WeCom 60105
  kEmailExists,            // WeCom 60106
  kMissingDepartment,      // WeCom 60127: a member needs a department
  kInvalidDepartmentList,  // WeCom 40066
  kPositionInvalid,        // WeCom 301012: over 128 characters
  kMobileOrEmailRequired,  // WeCom 60129
  kMemberLimit,            // WeCom 45024: the organisation is full
  kInvalidUserIdList,      // WeCom 40031
  kInvalidOpenId,          // WeCom 40073
  kInvalidTagId,           // WeCom 40068: unknown, taken or not positive
  kAllTargetsInvalid,      // WeCom 40070
  kTagNameExists,          // WeCom 40071
  kTagNameLength,          // WeCom 40072: 1-32 characters
  kInvalidMediaFileType,   // WeCom 40004: the bytes are not what the type takes
  kInvalidMediaType,       // WeCom 40005: type is not image, voice, video or file
  kInvalidMediaSize,       // WeCom 40006: 5 bytes or less
  kInvalidMediaId,         // WeCom 40007: unknown or expired media_id
  kMissingMediaId,         // WeCom 41006
  kEmptyMedia,             // WeCom 44001
  kMediaTooLarge,          // WeCom 45001
  kInvalidJobId,           // an unknown batch jobid (WeCom answers 40058)
  kMassDeletion,           // WeCom 45026: replaceuser would delete too many members
  kBatchFileInvalid,       // a batch file without the columns it needs (40058)
  kStopping,  // a job handler gave way to a server shutdown; the job resumes at the next start
  kInvalidCredentials,      // an admin login with a wrong username or password
  kLoginLocked,             // too many failed logins: the account waits a while
  kCsrfMismatch,            // a console write without its session's CSRF token
  kImportFileInvalid,       // an import file that is not CSV/XLSX or lacks a required column
  kInvalidMsgType,          // WeCom 40008: msgtype unknown or not taken by this endpoint
  kEmptyContent,            // WeCom 44004: a text or markdown message without content
  kContentTooLong,          // WeCom 45002: a message field over its limit
  kMissingTitle,            // WeCom 41016
  kNewsSafeUnsupported,     // WeCom 40074: news messages cannot be safe (use mpnews)
  kNoValidRecipient,        // WeCom 81013: no user, party or tag of a message is valid
  kInvalidAgentId,          // WeCom 40056: no such app
  kMissingAgentId,          // WeCom 41011
  kApiForbidden,            // WeCom 48002: this secret's token may not call the endpoint
  kAppPermissionDenied,     // WeCom 301002: the token's app is not the app named
  kAppDisabled,             // WeCom 50003
  kInvalidMsgId,            // an unknown msgid, or one of another app (WeCom answers 40058)
  kRecallExpired,           // message/recall after 24 hours (40058)
  kInvalidChatId,           // WeCom 86001
  kNoMatch,                 // sign-in: no member has this mobile or e-mail
  kAccountUnavailable,      // sign-in: the member is disabled (frozen) or has left
  kWrongCode,               // sign-in: the one-time code does not match
  kCodeExpired,             // sign-in: the code expired, was used, or ran out of attempts
  kDeliveryFailed,          // the SMS gateway or mail server did not take a message
  kChannelUnavailable,      // mail or SMS is not configured
  kPendingApproval,         // activation waits for an administrator (second verification)
  kRegistrationClosed,      // the organisation does not take applications
  kTotpRequired,            // the password was right; the administrator's one-time code is next
  kTotpInvalid,             // a wrong or reused authenticator (or recovery) code
  kTooManyConcurrent,       // WeCom 45033: too many calls of one caller at the same time
  kIpNotAllowed,            // WeCom 60020: the caller's address is not on the app's allowlist
  kPasswordChangeRequired,  // an administrator with a generated password changes it first
  kMenuButtonType,          // WeCom 40015: a menu button of no known type, or lacking its field
  kMenuButtonCount,         // WeCom 40016: a menu of 0 or more than 3 buttons
  kMenuSubButtonCount,      // WeCom 40017: a submenu of 0 or more than 5 buttons
  kMenuNameLength,          // WeCom 40018: a button's name empty or too long
  kMenuKeyLength,           // WeCom 40019: a button's key empty or over 128 bytes
  kMenuLevel,               // WeCom 40022: a submenu inside a submenu
  kMenuUrl,                 // WeCom 40054: a view button's url not an http(s) URL
  kMenuNotSet,              // WeCom 46003: the app has no menu
  kAppNameLength,           // WeCom 45022: an app's name empty or over 32 characters
  kCallbackUrlInvalid,      // WeCom 40057: a callback URL that failed its verification
  kInvalidOAuthCode,        // WeCom 40029: an OAuth2 code unknown, used, expired or another app's
  kRedirectUntrusted,       // WeCom 50001: a redirect_uri off the app's trusted domain
  kOutOfAppScope,           // WeCom 50002: the member is outside the app's visible scope
};

// The last kind: the tables over kinds check that they list every one up to it.
inline constexpr ErrorKind kLastErrorKind = ErrorKind::kOutOfAppScope;

struct ErrorInfo {
  int wecom_code;         // errcode on /cgi-bin
  int http_status;        // status on /api/v1 and /admin/api
  std::string_view code;  // stable machine name, e.g. "not_found", for the JSON APIs
};

const ErrorInfo& InfoOf(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;  // for logs and API callers; never holds a secret

  int WecomCode() const { return InfoOf(kind).wecom_code; }
  int HttpStatus() const { return InfoOf(kind).http_status; }
  std::string_view Code() const { return InfoOf(kind).code; }
};

inline Error MakeError(ErrorKind kind, std::string message) {
  return Error{kind, std::move(message)};
}

}  // namespace corphub::core

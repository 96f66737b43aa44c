#pragma once
// The field rules of WeCom's user object (reference §2), as pure checks: each returns the error
// WeCom gives, so the API answers the same codes.
#include <string_view>

#include "core/result.hpp"
#include "directory/member.hpp"

namespace corphub::directory {

inline constexpr std::size_t kMaxUseridBytes = 64;
inline constexpr std::size_t kMaxMemberNameChars = 64;
inline constexpr std::size_t kMaxAliasChars = 64;
inline constexpr std::size_t kMaxPositionChars = 128;
inline constexpr std::size_t kMaxAddressChars = 128;
inline constexpr std::size_t kMaxTelephoneChars = 32;
inline constexpr std::size_t kMaxEmailBytes = 64;
inline constexpr std::size_t kMaxExternalPositionChars = 12;
inline constexpr std::size_t kMaxExternalIdChars = 64;
inline constexpr std::size_t kMaxMemberDepartments = 100;
inline constexpr std::size_t kMaxDirectLeaders = 5;
inline constexpr std::int64_t kMaxMemberOrder = 4294967295;  // uint32

// 1-64 of [0-9A-Za-z_-@.], the first a letter or digit (40003, or 41009 when empty).
core::Status CheckUserid(std::string_view userid);
// Digits with an optional +country prefix; single spaces or hyphens may separate groups; 5 to
// 20 digits (60103).
core::Status CheckMobile(std::string_view mobile);
// local@domain.tld, at most 64 bytes, no spaces (60105).
core::Status CheckEmail(std::string_view field, std::string_view email);

// Applies `fields` onto `member`, checking each present field (formats only: existence and
// uniqueness need the store). `creating` makes name and departments required and fills the
// defaults WeCom documents.
core::Status ApplyFields(const MemberFields& fields, bool creating, Member& member);

}  // namespace corphub::directory

#pragma once
// The files batch jobs read (reference §3): WeCom's CSV templates for members
// (姓名,帐号,手机号,...) and departments (部门名称,部门ID,父部门ID,排序), in UTF-8 or GBK, turned
// into what the directory services take. Errors of a whole file are kBatchFileInvalid (40058);
// errors of one row are that row's.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/result.hpp"
#include "directory/department.hpp"
#include "directory/member.hpp"

namespace corphub::directory::batch {

// The user template's columns (WeCom's Chinese headers, and the API's field names).
enum class Col {
  kName,
  kUserid,
  kMobile,
  kEmail,
  kDepartment,
  kPosition,
  kGender,
  kLeader,
  kOrder,
  kAlias,
  kAddress,
  kTelephone,
  kDisabled,
  kBizMail,
  kDirectLeader,
  kExternalPosition,
  kExternalId,
};

// A member file: which column holds what, and its data rows (without the header).
struct UserFile {
  std::map<Col, std::size_t> columns;
  std::vector<core::CsvRow> rows;  // data rows, without the header
};

// One row of a department file.
struct PartyRow {
  std::size_t line = 0;
  std::string name;
  std::optional<std::int64_t> id;
  std::optional<std::int64_t> parent;
  std::int64_t order = 0;
};

// A cell without the blanks around it.
std::string Trim(std::string_view s);

core::Result<UserFile> ReadUserFile(const std::string& bytes);
core::Result<std::vector<PartyRow>> ReadPartyFile(const std::string& bytes);

// One member row as the fields it sets: sync (`replace` false) leaves empty cells alone, replace
// clears them. Departments may be ids or paths from the root, resolved in `departments`.
core::Result<NewMember> UserRow(const UserFile& file, const core::CsvRow& row, bool replace,
                                const std::vector<Department>& departments);

}  // namespace corphub::directory::batch

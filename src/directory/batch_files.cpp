#include "directory/batch_files.hpp"

#include <utility>

namespace corphub::directory::batch {

using core::ErrorKind;
using core::MakeError;

static const std::map<std::string, Col, std::less<>>& UserHeaders() {
  static const std::map<std::string, Col, std::less<>> headers = {
      {"姓名", Col::kName},
      {"name", Col::kName},
      {"帐号", Col::kUserid},
      {"账号", Col::kUserid},
      {"userid", Col::kUserid},
      {"手机号", Col::kMobile},
      {"手机", Col::kMobile},
      {"mobile", Col::kMobile},
      {"邮箱", Col::kEmail},
      {"个人邮箱", Col::kEmail},
      {"email", Col::kEmail},
      {"所在部门", Col::kDepartment},
      {"部门", Col::kDepartment},
      {"department", Col::kDepartment},
      {"职位", Col::kPosition},
      {"职务", Col::kPosition},
      {"position", Col::kPosition},
      {"性别", Col::kGender},
      {"gender", Col::kGender},
      {"是否部门内领导", Col::kLeader},
      {"is_leader_in_dept", Col::kLeader},
      {"排序", Col::kOrder},
      {"order", Col::kOrder},
      {"别名", Col::kAlias},
      {"alias", Col::kAlias},
      {"地址", Col::kAddress},
      {"address", Col::kAddress},
      {"座机", Col::kTelephone},
      {"telephone", Col::kTelephone},
      {"禁用", Col::kDisabled},
      {"企业邮箱", Col::kBizMail},
      {"biz_mail", Col::kBizMail},
      {"直属上级", Col::kDirectLeader},
      {"direct_leader", Col::kDirectLeader},
      {"对外职务", Col::kExternalPosition},
      {"external_position", Col::kExternalPosition},
      {"IM账号", Col::kExternalId},
      {"im_id", Col::kExternalId},
      {"external_id", Col::kExternalId},
  };
  return headers;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Header text up to the first '(' or '（' or ':' ("禁用项说明：(0-启用;1-禁用)" and the like).
static std::string HeaderKey(std::string_view h) {
  std::string s = Trim(h);
  for (std::string_view stop : {"(", "（", "：", ":"}) {
    if (auto at = s.find(stop); at != std::string::npos && at > 0) s = Trim(s.substr(0, at));
  }
  return s;
}

static std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t at = s.find(sep, start);
    std::string part =
        Trim(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (!part.empty()) out.push_back(std::move(part));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

static std::optional<std::int64_t> ToInt(std::string_view s) {
  std::string t = Trim(s);
  if (t.empty() || t.size() > 18) return std::nullopt;
  std::int64_t n = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

static core::Error RowError(std::string message) {
  return MakeError(ErrorKind::kInvalidParameter, std::move(message));
}

static core::Result<std::vector<core::CsvRow>> ReadCsv(const std::string& bytes) {
  auto text = core::DecodeText(bytes);
  if (!text) return MakeError(ErrorKind::kBatchFileInvalid, text.error().message);
  auto rows = core::ParseCsv(text->utf8);
  if (!rows) return MakeError(ErrorKind::kBatchFileInvalid, rows.error().message);
  if (rows->empty()) return MakeError(ErrorKind::kBatchFileInvalid, "the file is empty");
  return std::move(*rows);
}

core::Result<UserFile> ReadUserFile(const std::string& bytes) {
  auto rows = ReadCsv(bytes);
  if (!rows) return std::move(rows).error();
  UserFile file;
  const auto& header = rows->front().fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto it = UserHeaders().find(HeaderKey(header[i]));
    if (it != UserHeaders().end() && !file.columns.count(it->second)) file.columns[it->second] = i;
  }
  if (!file.columns.count(Col::kUserid) || !file.columns.count(Col::kName)) {
    return MakeError(ErrorKind::kBatchFileInvalid,
                     "the first line must name the columns, with at least 姓名 (name) and 帐号 "
                     "(userid), as in WeCom's template");
  }
  file.rows.assign(std::make_move_iterator(rows->begin() + 1),
                   std::make_move_iterator(rows->end()));
  return file;
}

core::Result<std::vector<PartyRow>> ReadPartyFile(const std::string& bytes) {
  auto rows = ReadCsv(bytes);
  if (!rows) return std::move(rows).error();
  std::optional<std::size_t> name, id, parent, order;
  const auto& header = rows->front().fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string h = HeaderKey(header[i]);
    if (h == "部门名称" || h == "name") name = i;
    if (h == "部门ID" || h == "id") id = i;
    if (h == "父部门ID" || h == "parentid") parent = i;
    if (h == "排序" || h == "order") order = i;
  }
  if (!name || !id || !parent) {
    return MakeError(ErrorKind::kBatchFileInvalid,
                     "the first line must name the columns 部门名称,部门ID,父部门ID[,排序], as in "
                     "WeCom's template");
  }
  std::vector<PartyRow> out;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& f = (*rows)[r].fields;
    auto cell = [&](std::optional<std::size_t> c) {
      return c && *c < f.size() ? Trim(f[*c]) : std::string();
    };
    PartyRow p;
    p.line = (*rows)[r].line;
    p.name = cell(name);
    p.id = ToInt(cell(id));
    p.parent = ToInt(cell(parent));
    p.order = ToInt(cell(order)).value_or(0);
    out.push_back(std::move(p));
  }
  return out;
}

// The departments of a cell: ids ("2;3") or paths from the root ("研发部/后端组;市场部"), the
// root's own name allowed as the first step.
static core::Result<std::vector<std::int64_t>> ResolveDepartments(
    const std::string& cell, const std::vector<Department>& all) {
  std::vector<std::int64_t> out;
  for (const std::string& item : Split(cell, ';')) {
    if (auto id = ToInt(item)) {
      out.push_back(*id);
      continue;
    }
    std::int64_t at = kRootDepartmentId;
    std::vector<std::string> steps = Split(item, '/');
    const Department* root = nullptr;
    for (const auto& d : all) {
      if (d.id == kRootDepartmentId) root = &d;
    }
    std::size_t first = root != nullptr && !steps.empty() && steps.front() == root->name ? 1 : 0;
    for (std::size_t i = first; i < steps.size(); ++i) {
      const Department* next = nullptr;
      for (const auto& d : all) {
        if (d.parent_id == at && d.name == steps[i]) next = &d;
      }
      if (next == nullptr) {
        return MakeError(ErrorKind::kDepartmentNotFound, "department " + item + " not found");
      }
      at = next->id;
    }
    out.push_back(at);
  }
  return out;
}

// One user row as the fields it sets. Sync leaves empty cells alone; replace clears them.
core::Result<NewMember> UserRow(const UserFile& file, const core::CsvRow& row, bool replace,
                                const std::vector<Department>& departments) {
  auto cell = [&](Col c) -> std::optional<std::string> {
    auto it = file.columns.find(c);
    if (it == file.columns.end()) return std::nullopt;
    std::string v = it->second < row.fields.size() ? Trim(row.fields[it->second]) : "";
    if (v.empty() && !replace) return std::nullopt;
    return v;
  };
  NewMember m;
  m.userid = cell(Col::kUserid).value_or("");
  MemberFields& f = m.fields;
  f.name = cell(Col::kName);
  f.mobile = cell(Col::kMobile);
  f.email = cell(Col::kEmail);
  f.biz_mail = cell(Col::kBizMail);
  f.position = cell(Col::kPosition);
  f.alias = cell(Col::kAlias);
  f.address = cell(Col::kAddress);
  f.telephone = cell(Col::kTelephone);
  f.external_position = cell(Col::kExternalPosition);
  f.external_id = cell(Col::kExternalId);
  if (auto g = cell(Col::kGender); g && !g->empty()) {
    if (*g == "男" || *g == "1")
      f.gender = 1;
    else if (*g == "女" || *g == "2")
      f.gender = 2;
    else if (*g == "未知" || *g == "0")
      f.gender = 0;
    else
      return RowError("性别 (gender) must be 男, 女, 1 or 2, not " + *g);
  }
  if (auto d = cell(Col::kDepartment); d && !d->empty()) {
    auto ids = ResolveDepartments(*d, departments);
    if (!ids) return std::move(ids).error();
    f.departments = std::move(*ids);
  }
  if (auto o = cell(Col::kOrder); o && !o->empty()) {
    std::vector<std::int64_t> orders;
    for (const auto& part : Split(*o, ';')) {
      auto n = ToInt(part);
      if (!n) return RowError("排序 (order) must be numbers separated by ;, not " + *o);
      orders.push_back(*n);
    }
    f.orders = std::move(orders);
  }
  if (auto l = cell(Col::kLeader); l && !l->empty()) {
    std::vector<std::int64_t> flags;
    for (const auto& part : Split(*l, ';')) {
      if (part == "1" || part == "是")
        flags.push_back(1);
      else if (part == "0" || part == "否")
        flags.push_back(0);
      else
        return RowError("是否部门内领导 must be 1/0 (是/否) per department, not " + *l);
    }
    f.leader_flags = std::move(flags);
  }
  if (auto d = cell(Col::kDisabled); d && !d->empty()) {
    if (*d == "1" || *d == "是" || *d == "禁用")
      f.enable = 0;
    else if (*d == "0" || *d == "否" || *d == "启用")
      f.enable = 1;
    else
      return RowError("禁用 must be 0 (启用) or 1 (禁用), not " + *d);
  }
  if (auto l = cell(Col::kDirectLeader); l) f.direct_leaders = Split(*l, ';');
  // An order or leader list without departments applies to the member's present ones; with
  // departments, both must match them (MemberService checks).
  return m;
}

}  // namespace corphub::directory::batch

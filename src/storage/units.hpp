#pragma once
// The object a transaction hands to domain code: it implements every domain's Unit interface,
// with repositories bound to that one transaction. A new domain adds its Unit base here, a
// member for each repository, and a Transactor<ItsUnit> base on Store.
#include "admin/admin_repository.hpp"
#include "corp/corp_repository.hpp"
#include "diagnostics/probe_repository.hpp"
#include "storage/admin_sql.hpp"
#include "storage/corp_sql.hpp"
#include "storage/probe_sql.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class TransactionUnits final : public admin::AdminUnit,
                               public diagnostics::ProbeUnit,
                               public corp::CorpUnit {
 public:
  explicit TransactionUnits(Sql& sql)
      : admins_(sql), probes_(sql), organisations_(sql), tokens_(sql) {}

  admin::AdminRepository& Admins() override { return admins_; }
  diagnostics::ProbeRepository& Probes() override { return probes_; }
  corp::OrganisationRepository& Organisations() override { return organisations_; }
  corp::TokenRepository& Tokens() override { return tokens_; }

 private:
  AdminSql admins_;
  ProbeSql probes_;
  OrganisationSql organisations_;
  TokenSql tokens_;
};

}  // namespace corphub::storage

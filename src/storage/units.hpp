#pragma once
// The object a transaction hands to domain code: it implements every domain's Unit interface,
// with repositories bound to that one transaction. A new domain adds its Unit base here, a
// member for each repository, and a Transactor<ItsUnit> base on Store.
#include "admin/admin_repository.hpp"
#include "callback/callback.hpp"
#include "corp/corp_repository.hpp"
#include "diagnostics/probe_repository.hpp"
#include "directory/directory_repository.hpp"
#include "identity/member_session.hpp"
#include "identity/registration.hpp"
#include "identity/verification.hpp"
#include "messaging/messaging_repository.hpp"
#include "storage/admin_sql.hpp"
#include "storage/app_sql.hpp"
#include "storage/callback_sql.hpp"
#include "storage/chat_sql.hpp"
#include "storage/corp_sql.hpp"
#include "storage/department_sql.hpp"
#include "storage/job_sql.hpp"
#include "storage/member_session_sql.hpp"
#include "storage/member_sql.hpp"
#include "storage/message_sql.hpp"
#include "storage/probe_sql.hpp"
#include "storage/recipient_sql.hpp"
#include "storage/registration_sql.hpp"
#include "storage/sql.hpp"
#include "storage/sso_sql.hpp"
#include "storage/tag_sql.hpp"
#include "storage/verification_sql.hpp"

namespace corphub::storage {

class TransactionUnits final : public admin::AdminUnit,
                               public diagnostics::ProbeUnit,
                               public corp::CorpUnit,
                               public virtual directory::DirectoryUnit,
                               public virtual media::MediaUnit,
                               public messaging::MessagingUnit,
                               public identity::IdentityUnit,
                               public callback::CallbackUnit,
                               public sso::SsoUnit {
 public:
  TransactionUnits(Sql& sql, const crypto::SecretBox* box)
      : admins_(sql, box),
        probes_(sql),
        organisations_(sql, box),
        tokens_(sql),
        departments_(sql),
        members_(sql),
        tags_(sql),
        contact_events_(sql),
        audit_(sql),
        jobs_(sql),
        media_(sql),
        apps_(sql),
        recipients_(sql),
        messages_(sql),
        chats_(sql),
        member_sessions_(sql),
        verifications_(sql),
        registrations_(sql),
        callbacks_(sql, box),
        sso_(sql) {}

  admin::AdminRepository& Admins() override { return admins_; }
  diagnostics::ProbeRepository& Probes() override { return probes_; }
  corp::OrganisationRepository& Organisations() override { return organisations_; }
  corp::TokenRepository& Tokens() override { return tokens_; }
  directory::DepartmentRepository& Departments() override { return departments_; }
  directory::MemberRepository& Members() override { return members_; }
  directory::TagRepository& Tags() override { return tags_; }
  directory::ContactEventLog& ContactEvents() override { return contact_events_; }
  core::AuditLog& Audit() override { return audit_; }
  jobs::JobRepository& Jobs() override { return jobs_; }
  media::MediaRepository& Media() override { return media_; }
  apps::AppRepository& Apps() override { return apps_; }
  messaging::RecipientRepository& Recipients() override { return recipients_; }
  messaging::MessageRepository& Messages() override { return messages_; }
  messaging::ChatRepository& Chats() override { return chats_; }
  identity::MemberSessionRepository& MemberSessions() override { return member_sessions_; }
  identity::VerificationRepository& Verifications() override { return verifications_; }
  identity::RegistrationRepository& Registrations() override { return registrations_; }
  callback::CallbackRepository& Callbacks() override { return callbacks_; }
  sso::SsoRepository& Sso() override { return sso_; }

 private:
  AdminSql admins_;
  ProbeSql probes_;
  OrganisationSql organisations_;
  TokenSql tokens_;
  DepartmentSql departments_;
  MemberSql members_;
  TagSql tags_;
  ContactEventSql contact_events_;
  AuditSql audit_;
  JobSql jobs_;
  MediaSql media_;
  AppSql apps_;
  RecipientSql recipients_;
  MessageSql messages_;
  ChatSql chats_;
  MemberSessionSql member_sessions_;
  VerificationSql verifications_;
  RegistrationSql registrations_;
  CallbackSql callbacks_;
  SsoSql sso_;
};

}  // namespace corphub::storage

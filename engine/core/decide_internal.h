#pragma once
// Per-command decision functions behind decide() (validator.h).
#include "engine/core/reasons.h"
#include "engine/core/rules.h"
#include "engine/core/validator.h"

namespace autoriza {

Decision decide_eligibility(const DecideContext& ctx, const fb::EligibilityCmdT& cmd);
Decision decide_authorize(const DecideContext& ctx, const fb::AuthorizeCmdT& cmd);
Decision decide_consume(const DecideContext& ctx, const fb::ConsumeCmdT& cmd);
Decision decide_annul(const DecideContext& ctx, const fb::AnnulCmdT& cmd);
Decision decide_audit_verdict(const DecideContext& ctx, const fb::AuditVerdictCmdT& cmd);
Decision decide_audit_answer(const DecideContext& ctx, const fb::AuditAnswerCmdT& cmd);
Decision decide_token_issue(const DecideContext& ctx, const fb::TokenIssueCmdT& cmd);
Decision decide_card(const DecideContext& ctx, const fb::CardIssueCmdT& cmd);
Decision decide_account(const DecideContext& ctx, const fb::CommandUnion& command);

// TOKEN_REQUIRED, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_ALREADY_USED (at most
// one). Returns what the token did (null: nothing to record). A token sent
// for a plan that needs none is ignored.
std::unique_ptr<fb::TokenUseT> check_token(const DecideContext& ctx, const Parties& parties,
                                           std::string_view token, std::vector<Reason>& reasons);
// Keeps a USED outcome only when the command uses the token up; failures are
// always kept (they feed the brute-force throttle).
void keep_token_use(fb::EventT& event, bool uses_up);

// A new decision with its event's type, time and an empty result.
Decision new_decision(const DecideContext& ctx, fb::EventType type);
// Copies reasons (sorted, unique) into a result field.
void set_reasons(std::vector<fb::ReasonCode>& out, std::vector<Reason> reasons);
// Totals over the items whose status counts (AUTHORIZED, CONSUMED).
std::unique_ptr<fb::TotalsT> totals_of(const std::vector<std::unique_ptr<fb::ItemResultT>>& items);
// What an answer says of an affiliate (eligibility, cards, registration).
std::unique_ptr<fb::AffiliateViewT> affiliate_view(const fb::AffiliateT& a, Millis now);
// An answer item from an order or SAP item.
std::unique_ptr<fb::ItemResultT> item_result_of(const fb::OrderItemT& item);

}  // namespace autoriza

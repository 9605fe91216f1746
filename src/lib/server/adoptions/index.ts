/**
 * Adoptions: the service behind "Adopteer dit perk", Mijn perken, groepen and the manager
 * inbox. Every function takes the Db first and runs its own transaction; each transition
 * locks the plot row, checks the rules in src/lib/domain/adoption.ts, writes the adoption,
 * one adoption_events row and (where a person should hear of it) a mail_outbox row
 * (status 'pending', for the outbox worker) in that same transaction.
 *
 * API (stable; the manager inbox calls the manager-side functions):
 *   requestAdoption(db, actor, { plotId, teamId?, motivation?, agreementVersion, idempotencyKey })
 *   cancelRequest(db, actor, adoptionId)                         requester withdraws
 *   approveAdoption(db, actor, adoptionId, { reason? })          manager: requested → active
 *   rejectAdoption(db, actor, adoptionId, { reason })            manager: requested → rejected
 *   offerAdoption(db, actor, { plotId, userId? | teamId?, reason? })  manager: direct assignment → offered
 *   confirmOffer(db, actor, adoptionId) / declineOffer(db, actor, adoptionId)   adopter
 *   endAdoption(db, actor, adoptionId, { reason? })              adopter or manager: active → ended
 *   answerQuestion(db, actor, adoptionId, answer)                requester answers a manager's question
 *   listMyPlots(db, userId)                                      mine and my teams'
 *   publicTimeline(db, plotId)                                   no names unless opted in
 *   plotAdoptionSummary(db, plotId, userId?)                     places, queue, my open adoption
 *   currentAgreement(db)                                         latest adoption agreement
 *   publishAgreement(db, admin, {textNl, textEn})               a new agreement version (audited)
 * Errors: AdoptionError with a `code` (see errors.ts) that routes turn into a message.
 * Teams: see ./teams.ts (createTeam, inviteByEmail, createInviteLink, acceptInvite, leaveTeam, ...).
 */
export * from './errors';
export * from './service';
export * from './queries';
export * from './agreement';
export * from './teams';

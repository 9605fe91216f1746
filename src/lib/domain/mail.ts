/**
 * Where an outgoing mail stands: 'pending' until the outbox worker sends it, then 'sent';
 * 'logged' when no SMTP server is configured and the outbox itself is where it ends up;
 * 'failed' when every attempt failed, so an operator sees it.
 */
export const MAIL_STATUSES = ['pending', 'sent', 'logged', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** Mails that are done with, which retention may delete; a failed one stays for an operator. */
export const HANDLED_MAIL_STATUSES = ['sent', 'logged'] as const satisfies MailStatus[];

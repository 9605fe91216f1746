/**
 * Sending mail: the SMTP transport (./transport.ts), one send (./send.ts), the
 * account mails' texts (./templates.ts, words from the message catalogue) and the demo
 * mailbox (./demo-mailbox.ts). Queued mail goes through notifications/' outbox.
 */
export * from './transport';
export * from './send';
export * from './templates';
export * from './demo-mailbox';

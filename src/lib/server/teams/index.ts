/**
 * Teams (groepen): creating one, members, invitations by mail or link (./teams.ts), and
 * finding a team by name for a manager's direct assignment (./find.ts).
 */
export * from './teams';
export * from './find';

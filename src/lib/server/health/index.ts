/** The health check behind /healthz: database reachable, migrations current. */
export * from './health';

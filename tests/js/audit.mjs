// Runs graphql-http's GraphQL-over-HTTP server audit against a live URL.
// argv[2]: the endpoint; stdout: [{"id", "name", "status", "reason"}]
import { auditServer } from 'graphql-http';

const results = await auditServer({ url: process.argv[2] });
process.stdout.write(
  JSON.stringify(
    results.map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? null })),
  ),
);

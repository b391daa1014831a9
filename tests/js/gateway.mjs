// A real Apollo gateway over the hub and a second subgraph, for tests/test_apollo_gateway.py.
// argv[2]: the hub's /graphql URL. stdin: {"visits": [{"note", "project", "host"}]} (ids in the
// hub). Starts the "visits" subgraph (@apollo/subgraph; it extends the hub's Project and points
// at its Person by id) and the gateway (IntrospectAndCompose of both), each on 127.0.0.1, prints
// READY {"gateway": url, "visits": url} as one line, and runs until stdin closes. The gateway passes a
// caller's Authorization header on to the hub, and nothing else.
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

const hub = process.argv[2];
const stdin = process.stdin;
stdin.setEncoding('utf8');
const input = await new Promise((resolve) => {
  let buffer = '';
  const read = (chunk) => {
    buffer += chunk;
    if (buffer.includes('\n')) {
      stdin.off('data', read);
      stdin.pause();
      resolve(buffer);
    }
  };
  stdin.on('data', read);
});
const { visits } = JSON.parse(input);

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Project @key(fields: "id") {
    id: ID!
    visitNotes: [String!]!
  }

  type Person @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type HostedVisit {
    note: String!
    project: Project!
    host: Person
  }

  type Query {
    hostedVisits: [HostedVisit!]!
  }
`);
const resolvers = {
  Query: {
    hostedVisits: () =>
      visits.map((v) => ({ note: v.note, project: { id: v.project }, host: { id: v.host } })),
  },
  Project: {
    __resolveReference: (reference) => ({ id: reference.id }),
    visitNotes: (project) => visits.filter((v) => v.project === project.id).map((v) => v.note),
  },
};
const subgraph = new ApolloServer({
  schema: buildSubgraphSchema([{ typeDefs, resolvers }]),
  plugins: [ApolloServerPluginInlineTraceDisabled()],
});
const visitsAt = await startStandaloneServer(subgraph, { listen: { host: '127.0.0.1', port: 0 } });

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: 'convener', url: hub },
      { name: 'visits', url: visitsAt.url },
    ],
  }),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request, context }) {
        if (context.authorization) request.http.headers.set('authorization', context.authorization);
      },
    }),
});
const server = new ApolloServer({ gateway });
const gatewayAt = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: 0 },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
process.stdout.write('READY ' + JSON.stringify({ gateway: gatewayAt.url, visits: visitsAt.url }) + '\n');

stdin.resume();
stdin.on('end', async () => {
  await server.stop();
  await subgraph.stop();
  process.exit(0);
});

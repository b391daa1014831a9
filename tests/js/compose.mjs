// Composes federation subgraphs with Apollo's composition library.
// stdin: [{"name": ..., "url": ..., "sdl": ...}]; stdout: {"errors": [...], "hints": [...], "supergraph": "..."}
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const services = JSON.parse(input).map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) }));
const result = composeServices(services);
process.stdout.write(
  JSON.stringify({
    errors: (result.errors || []).map((e) => `${e.extensions?.code ?? ''}: ${e.message}`),
    hints: (result.hints || []).map((h) => h.toString()),
    supergraph: result.supergraphSdl ?? null,
  }),
);
